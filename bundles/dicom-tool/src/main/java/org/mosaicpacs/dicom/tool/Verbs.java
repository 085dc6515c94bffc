package org.mosaicpacs.dicom.tool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registry of commands, by name, in the order of the help text. */
final class Verbs {

    private final Map<String, Verb> verbs = new LinkedHashMap<>();

    /** The commands of this tool: the file commands, then the network commands (dicom-net). */
    static Verbs standard() {
        return new Verbs()
                .add(new DumpVerb())
                .add(new JsonVerb())
                .add(new XmlVerb())
                .add(new TranscodeVerb())
                .add(new EchoVerb())
                .add(new StoreVerb())
                .add(new FindVerb())
                .add(new GetVerb())
                .add(new MoveVerb())
                .add(new ListenVerb());
    }

    /**
     * Adds a command.
     *
     * @throws IllegalArgumentException if a command of that name is already there
     */
    Verbs add(Verb verb) {
        if (verbs.putIfAbsent(verb.name(), verb) != null) {
            throw new IllegalArgumentException("duplicate verb " + verb.name());
        }
        return this;
    }

    /** Returns the command of a name, or null. */
    Verb get(String name) {
        return verbs.get(name);
    }

    /** Returns all commands by name. */
    Map<String, Verb> all() {
        return Collections.unmodifiableMap(verbs);
    }
}
