package org.mosaicpacs.dicom.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits arguments into options (with or without a value) and operands. */
final class Args {

    private final List<String> operands = new ArrayList<>();
    private final java.util.Map<String, List<String>> options = new java.util.HashMap<>();

    /**
     * Parses.
     *
     * @param args the arguments
     * @param flags options without a value
     * @param withValue options followed by a value (also accepted as {@code --name=value})
     */
    Args(List<String> args, Set<String> flags, Set<String> withValue) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-") && a.length() > 1) {
                int eq = a.indexOf('=');
                String name = eq > 0 ? a.substring(0, eq) : a;
                if (flags.contains(name) && eq < 0) {
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add("");
                } else if (withValue.contains(name)) {
                    if (eq > 0) {
                        options.computeIfAbsent(name, k -> new ArrayList<>()).add(a.substring(eq + 1));
                    } else if (i + 1 < args.size()) {
                        options.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
                    } else {
                        throw new UsageException("option " + name + " needs a value");
                    }
                } else {
                    throw new UsageException("unknown option " + a);
                }
            } else {
                operands.add(a);
            }
        }
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    /** The last value of an option, or null. */
    String get(String option) {
        List<String> v = options.get(option);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** The last value of an option, or a default. */
    String get(String option, String defaultValue) {
        String v = get(option);
        return v == null ? defaultValue : v;
    }

    /** All values of a repeated option, in order (empty if absent). */
    List<String> getAll(String option) {
        List<String> v = options.get(option);
        return v == null ? List.of() : List.copyOf(v);
    }

    /** The operands (arguments that are not options), in order. */
    List<String> operands() {
        return List.copyOf(operands);
    }

    long getLong(String option, long defaultValue) throws UsageException {
        String v = get(option);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " needs a number, not '" + v + "'");
        }
    }

    List<String> operands(int count, String names) throws UsageException {
        if (operands.size() != count) {
            throw new UsageException(operands.size() < count ? "missing " + names : "too many arguments");
        }
        return operands;
    }
}
