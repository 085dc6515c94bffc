package org.mosaicpacs.dicom.net.dimse;

/**
 * DIMSE status codes (PS3.7 Annex C and the service classes of PS3.4) and their categories.
 */
public final class Status {

    public static final int Success = 0x0000;
    public static final int Pending = 0xFF00;
    /** Pending: some optional keys were not supported (C-FIND). */
    public static final int PendingWarning = 0xFF01;
    public static final int Cancel = 0xFE00;

    /** Warning: coercion of data elements (C-STORE). */
    public static final int CoercionOfDataElements = 0xB000;
    /** Warning: sub-operations complete, one or more failures or warnings (C-MOVE, C-GET). */
    public static final int OneOrMoreFailures = 0xB000;
    /** Warning: elements discarded (C-STORE). */
    public static final int ElementsDiscarded = 0xB006;
    /** Warning: data set does not match SOP class (C-STORE). */
    public static final int DataSetDoesNotMatchSOPClassWarning = 0xB007;
    /** Warning: attribute list error (N-*). */
    public static final int AttributeListError = 0x0107;
    /** Warning: attribute value out of range (N-*). */
    public static final int AttributeValueOutOfRange = 0x0116;

    /** Failure: refused, out of resources (C-STORE, C-FIND, C-MOVE, C-GET). */
    public static final int OutOfResources = 0xA700;
    /** Failure: out of resources, unable to calculate the number of matches (C-MOVE, C-GET). */
    public static final int UnableToCalculateNumberOfMatches = 0xA701;
    /** Failure: out of resources, unable to perform sub-operations (C-MOVE, C-GET). */
    public static final int UnableToPerformSubOperations = 0xA702;
    /** Failure: move destination unknown (C-MOVE). */
    public static final int MoveDestinationUnknown = 0xA801;
    /** Failure: data set does not match SOP class / identifier does not match SOP class. */
    public static final int DataSetDoesNotMatchSOPClassError = 0xA900;
    /** Failure: identifier does not match SOP class (C-FIND, C-MOVE, C-GET). */
    public static final int IdentifierDoesNotMatchSOPClass = 0xA900;
    /** Failure: cannot understand (C0xx range). */
    public static final int CannotUnderstand = 0xC000;
    /** Failure: unable to process (C-FIND, C-MOVE, C-GET). */
    public static final int UnableToProcess = 0xC000;
    /** Failure: sub-operation failed, unrecognized (C211 of C-GET/C-MOVE in some profiles). */
    public static final int UnableToPerformSubOperationsC211 = 0xC211;
    /** Failure: processing failure. */
    public static final int ProcessingFailure = 0x0110;
    /** Failure: no such SOP instance. */
    public static final int NoSuchObjectInstance = 0x0112;
    /** Failure: invalid object instance. */
    public static final int InvalidObjectInstance = 0x0117;
    /** Failure: SOP class not supported. */
    public static final int SOPClassNotSupported = 0x0122;
    /** Failure: refused, not authorized. */
    public static final int NotAuthorized = 0x0124;
    /** Failure: duplicate invocation (message ID already in use). */
    public static final int DuplicateInvocation = 0x0210;
    /** Failure: unrecognized operation. */
    public static final int UnrecognizedOperation = 0x0211;
    /** Failure: mistyped argument. */
    public static final int MistypedArgument = 0x0212;
    /** Failure: duplicate SOP instance. */
    public static final int DuplicateSOPInstance = 0x0111;
    /** Failure: no such attribute. */
    public static final int NoSuchAttribute = 0x0105;
    /** Failure: invalid argument value. */
    public static final int InvalidArgumentValue = 0x0115;
    /** Failure: missing attribute. */
    public static final int MissingAttribute = 0x0120;

    private Status() {
    }

    /** @return whether the status is Pending (FF00, FF01): more responses follow */
    public static boolean isPending(int status) {
        return (status & 0xFF00) == 0xFF00;
    }

    /** @return whether the status is Success */
    public static boolean isSuccess(int status) {
        return status == Success;
    }

    /** @return whether the status is Cancel */
    public static boolean isCancel(int status) {
        return status == Cancel;
    }

    /** @return whether the status is a Warning (0001, 0107, 0116, Bxxx) */
    public static boolean isWarning(int status) {
        return status == 0x0001 || status == AttributeListError || status == AttributeValueOutOfRange
                || (status & 0xF000) == 0xB000;
    }

    /** @return whether the status is a Failure (anything that is not success, pending, cancel or warning) */
    public static boolean isFailure(int status) {
        return !isSuccess(status) && !isPending(status) && !isCancel(status) && !isWarning(status);
    }

    /** @return the status as four hexadecimal digits with its category, e.g. "A700 (failure)" */
    public static String toString(int status) {
        String category = isSuccess(status) ? "success" : isPending(status) ? "pending" : isCancel(status)
                ? "cancel" : isWarning(status) ? "warning" : "failure";
        return String.format("%04X (%s)", status, category);
    }
}
