package org.mosaicpacs.dimse.internal;

import java.util.Iterator;
import java.util.List;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.net.dimse.CFindSCP;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;

/**
 * The matches of a C-FIND, all read from the index before the first response (so that the responses may leave
 * in a few socket writes): they go as pending, then Success, or, when the result limit cut them, the failure.
 */
final class LimitedMatches implements CFindSCP.Matches {

    private final Iterator<Attributes> matches;
    private final DicomServiceException failure;

    /** @param failure the end of matches that the limit cut, or {@code null} for Success */
    LimitedMatches(List<Attributes> matches, DicomServiceException failure) {
        this.matches = matches.iterator();
        this.failure = failure;
    }

    @Override
    public boolean hasNext() {
        return matches.hasNext();
    }

    @Override
    public Attributes next() {
        return matches.next();
    }

    @Override
    public DicomServiceException finalFailure() {
        return failure;
    }

    @Override
    public boolean atHand() {
        return true;
    }
}
