package org.mosaicpacs.dimse.internal;

import java.util.Iterator;
import java.util.List;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.net.dimse.CFindSCP;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;

/** The first matches of a C-FIND that the result limit cut: they go as pending, then the failure ends it. */
final class LimitedMatches implements CFindSCP.Matches {

    private final Iterator<Attributes> matches;
    private final DicomServiceException failure;

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
}
