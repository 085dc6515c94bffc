package org.mosaicpacs.plugin.forward.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One forward rule (a factory configuration, PID {@value #FACTORY_PID}): instances stored with a matching calling AE
 * title, Modality and SOP Class UID are forwarded to the remote AE {@link #destination()}. An empty criterion
 * matches anything. Registered as a service of its own for {@link ForwardPlugin}.
 */
@Component(service = ForwardRule.class, configurationPid = ForwardRule.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ForwardRule.Config.class, factory = true)
public final class ForwardRule {

    static final String FACTORY_PID = "org.mosaicpacs.plugin.forward.rule";

    @ObjectClassDefinition(name = "Mosaic PACS forward rule", description = "Forwards stored instances that match to a "
            + "remote AE (one configuration per rule). An empty criterion matches any instance.")
    public @interface Config {
        @AttributeDefinition(name = "Name", description = "The rule's name in mosaic:forward-list; empty: the destination")
        String name() default "";

        @AttributeDefinition(name = "Destination", description = "AE title of the remote AE (mosaic:ae-add) to forward to")
        String destination();

        @AttributeDefinition(name = "Calling AE titles", description = "Forward only what these AEs sent "
                + "(comma separated); empty: any")
        String[] callingAETitles() default {};

        @AttributeDefinition(name = "Modalities", description = "Forward only instances of these modalities "
                + "(Modality (0008,0060), e.g. CT,MR); empty: any")
        String[] modalities() default {};

        @AttributeDefinition(name = "SOP Class UIDs", description = "Forward only instances of these SOP classes "
                + "(comma separated); empty: any")
        String[] sopClassUIDs() default {};
    }

    private final String name;
    private final String destination;
    private final Set<String> callingAETitles;
    private final Set<String> modalities;
    private final Set<String> sopClassUIDs;

    @Activate
    public ForwardRule(Config config) {
        this(config.name(), config.destination(), values(config.callingAETitles()), values(config.modalities()),
                values(config.sopClassUIDs()));
    }

    /**
     * @throws IllegalArgumentException when the destination is not an AE title
     */
    ForwardRule(String name, String destination, Collection<String> callingAETitles, Collection<String> modalities,
                Collection<String> sopClassUIDs) {
        this.destination = RemoteApplicationEntity.checkAETitle(destination == null ? "" : destination);
        this.name = name == null || name.isBlank() ? this.destination : name.strip();
        this.callingAETitles = Set.copyOf(new TreeSet<>(callingAETitles));
        this.modalities = Set.copyOf(new TreeSet<>(modalities));
        this.sopClassUIDs = Set.copyOf(new TreeSet<>(sopClassUIDs));
    }

    /** The values of a multi-valued property, each also split at commas and backslashes (a .cfg file gives one string). */
    static Set<String> values(String[] raw) {
        Set<String> set = new TreeSet<>();
        if (raw != null) {
            for (String r : raw) {
                Arrays.stream(r.split("[,\\\\]")).map(String::strip).filter(s -> !s.isEmpty()).forEach(set::add);
            }
        }
        return set;
    }

    String name() {
        return name;
    }

    String destination() {
        return destination;
    }

    /** Whether a Modality is needed to decide (when it is not, the stored object need not be read). */
    boolean needsModality() {
        return !modalities.isEmpty();
    }

    /** Whether the rule matches on what is known without reading the instance. */
    boolean matches(String callingAETitle, String sopClassUID) {
        return (callingAETitles.isEmpty() || callingAETitles.contains(callingAETitle == null ? "" : callingAETitle.strip()))
                && (sopClassUIDs.isEmpty() || sopClassUIDs.contains(sopClassUID));
    }

    /** Whether the rule matches an instance; {@code modality} may be {@code null} when {@link #needsModality()} is false. */
    boolean matches(String callingAETitle, String sopClassUID, String modality) {
        return matches(callingAETitle, sopClassUID)
                && (modalities.isEmpty() || modality != null && modalities.contains(modality.strip()));
    }

    /** The criteria, for the console. */
    String criteria() {
        StringBuilder b = new StringBuilder();
        if (!callingAETitles.isEmpty()) {
            b.append("from ").append(String.join(",", new TreeSet<>(callingAETitles)));
        }
        if (!modalities.isEmpty()) {
            b.append(b.length() == 0 ? "" : "; ").append("modality ").append(String.join(",", new TreeSet<>(modalities)));
        }
        if (!sopClassUIDs.isEmpty()) {
            b.append(b.length() == 0 ? "" : "; ").append("SOP class ").append(String.join(",", new TreeSet<>(sopClassUIDs)));
        }
        return b.length() == 0 ? "any instance" : b.toString();
    }

    @Override
    public String toString() {
        return name + " -> " + destination + " (" + criteria() + ")";
    }
}
