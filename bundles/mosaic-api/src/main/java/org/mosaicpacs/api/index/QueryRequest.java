package org.mosaicpacs.api.index;

import java.util.Objects;

import org.mosaicpacs.dicom.data.Attributes;

/**
 * One C-FIND-style query.
 *
 * @param level                the level to answer at
 * @param keys                 the identifier: one element per matching or return key (PS3.4 C.2.2.1);
 *                             an empty value is universal matching (return only); the Query/Retrieve
 *                             Level and Specific Character Set elements are ignored here
 * @param relational           relational queries (PS3.4 C.4.1.2.2): any key at or above {@code level};
 *                             when false (hierarchical), SERIES needs a single Study Instance UID and IMAGE
 *                             a single Study and Series Instance UID
 * @param caseInsensitivePN    match Person Name values without regard to case (the "fuzzy" option an SCP
 *                             may offer for PN)
 * @param combinedDateTime     match a date key and its time key (Study Date and Study Time) as one
 *                             date-time range (PS3.4 C.2.2.2.5, needs extended negotiation); when false,
 *                             each is matched on its own
 */
public record QueryRequest(QueryLevel level, Attributes keys, boolean relational, boolean caseInsensitivePN,
                           boolean combinedDateTime) {

    public QueryRequest {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(keys, "keys");
    }

    /** A hierarchical, case-sensitive query without combined date-time matching. */
    public static QueryRequest of(QueryLevel level, Attributes keys) {
        return new QueryRequest(level, keys, false, false, false);
    }

    /** This query, relational. */
    public QueryRequest withRelational() {
        return new QueryRequest(level, keys, true, caseInsensitivePN, combinedDateTime);
    }

    /** This query, matching PN values without regard to case. */
    public QueryRequest withCaseInsensitivePN() {
        return new QueryRequest(level, keys, relational, true, combinedDateTime);
    }

    /** This query, matching date and time keys as one date-time range. */
    public QueryRequest withCombinedDateTime() {
        return new QueryRequest(level, keys, relational, caseInsensitivePN, true);
    }
}
