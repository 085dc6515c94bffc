package org.mosaicpacs.api.index;

/** The levels of the query/retrieve information models (PS3.4 C.6), from top to bottom. */
public enum QueryLevel {
    PATIENT, STUDY, SERIES, IMAGE;

    /** The value of Query/Retrieve Level (0008,0052) for this level. */
    public String code() {
        return name();
    }

    /**
     * The level of a Query/Retrieve Level value.
     *
     * @throws IllegalArgumentException when {@code code} is none of PATIENT, STUDY, SERIES, IMAGE
     */
    public static QueryLevel ofCode(String code) {
        if (code != null) {
            for (QueryLevel l : values()) {
                if (l.name().equals(code.trim())) {
                    return l;
                }
            }
        }
        throw new IllegalArgumentException("unknown Query/Retrieve Level: " + code);
    }
}
