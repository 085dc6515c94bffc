package org.mosaicpacs.dicom.net.pdu;

/**
 * Asynchronous Operations Window sub-item (PS3.7 section D.3.3.3), 0 meaning unlimited.
 *
 * @param maxOperationsInvoked maximum number of outstanding operations invoked
 * @param maxOperationsPerformed maximum number of outstanding operations performed
 */
public record AsyncOperationsWindow(int maxOperationsInvoked, int maxOperationsPerformed) {

    /** Validates the 16-bit ranges. */
    public AsyncOperationsWindow {
        PduChecks.checkUnsignedShort("max operations invoked", maxOperationsInvoked);
        PduChecks.checkUnsignedShort("max operations performed", maxOperationsPerformed);
    }
}
