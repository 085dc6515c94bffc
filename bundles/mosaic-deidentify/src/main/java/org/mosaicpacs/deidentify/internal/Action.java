package org.mosaicpacs.deidentify.internal;

/**
 * The actions of PS3.15 Table E.1-1, named by their codes there. The combined ones are resolved to one of
 * the simple ones by the Type of the attribute in the IOD ({@link #resolve(int)}).
 */
enum Action {
    /** Replace with a non-zero length dummy value consistent with the VR. */
    D("D"),
    /** Replace with a zero length value. */
    Z("Z"),
    /** Remove. */
    X("X"),
    /** Keep (sequences: keep, and apply the table to their items). */
    K("K"),
    /** Clean: keep values of similar meaning that hold no identifying information. */
    C("C"),
    /** Replace UIDs with new ones, consistent within the project. */
    U("U"),
    /** Keep a sequence, and replace the UIDs its items hold (the U* of X/Z/U*). */
    U_STAR("U*"),
    X_Z("X/Z"),
    X_D("X/D"),
    X_Z_D("X/Z/D"),
    Z_D("Z/D"),
    X_Z_U_STAR("X/Z/U*");

    private final String code;

    Action(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    static Action of(String code) {
        for (Action a : values()) {
            if (a.code.equals(code)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action " + code);
    }

    boolean isCombined() {
        return code.indexOf('/') >= 0;
    }

    /**
     * Resolves a combined action by the Type of the attribute in the IOD: 1, 2, 3, or 0 when not known.
     * An unknown Type gets the most conservative action that keeps any IOD valid: a dummy value where one
     * is allowed (D), else a zero length value (Z), else kept sequences with their UIDs replaced (U*).
     */
    Action resolve(int type) {
        switch (this) {
            case X_Z:
                return type == 3 ? X : Z;
            case X_D:
                return type == 3 ? X : D;
            case X_Z_D:
                return type == 3 ? X : type == 2 ? Z : D;
            case Z_D:
                return type == 2 ? Z : D;
            case X_Z_U_STAR:
                return type == 3 ? X : type == 2 ? Z : U_STAR;
            default:
                return this;
        }
    }
}
