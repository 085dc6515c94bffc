package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

class CommandsTest {

    @Test
    void commandFields() {
        assertEquals(0x0001, Dimse.C_STORE_RQ.commandField());
        assertEquals(0x8021, Dimse.C_MOVE_RSP.commandField());
        assertEquals(0x0FFF, Dimse.C_CANCEL_RQ.commandField());
        assertEquals(0x8150, Dimse.N_DELETE_RSP.commandField());
        assertEquals(Dimse.C_FIND_RSP, Dimse.C_FIND_RQ.response());
        assertNull(Dimse.C_CANCEL_RQ.response());
        assertEquals(Dimse.N_ACTION_RQ, Dimse.valueOf(0x0130));
        assertEquals("C-ECHO-RQ", Dimse.C_ECHO_RQ.toString());
        assertEquals(22, Dimse.values().length - 1);
    }

    @Test
    void statusCategories() {
        assertTrue(Status.isPending(0xFF01));
        assertTrue(Status.isWarning(0xB007));
        assertTrue(Status.isWarning(0x0116));
        assertTrue(Status.isFailure(0xA801));
        assertTrue(Status.isFailure(0x0122));
        assertTrue(Status.isFailure(0xC211));
        assertFalse(Status.isFailure(Status.Cancel));
        assertEquals("A700 (failure)", Status.toString(Status.OutOfResources));
    }

    @Test
    void encodeDecodeWithGroupLength() throws IOException {
        Attributes rq = Commands.cstoreRQ(7, UID.CTImageStorage, "1.2.3.4", Commands.HIGH, "MOVER", 3);
        byte[] bytes = Commands.encode(rq);
        // (0000,0000) UL in Implicit VR LE: tag, length 4, then the length of the rest
        assertEquals(0, bytes[0] | bytes[1] | bytes[2] | bytes[3]);
        int groupLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8 | (bytes[10] & 0xFF) << 16
                | (bytes[11] & 0xFF) << 24;
        assertEquals(bytes.length - 12, groupLength);
        Attributes back = Commands.decode(bytes);
        assertEquals(Dimse.C_STORE_RQ, Commands.dimseOf(back));
        assertEquals(7, Commands.messageId(back));
        assertEquals("1.2.3.4", Commands.sopInstanceUid(back));
        assertEquals("MOVER", back.getString(Tag.MoveOriginatorApplicationEntityTitle));
        assertEquals(Commands.HIGH, Commands.priority(back));
        assertTrue(Commands.hasDataset(back));

        Attributes rsp = Commands.mkRSP(back, Status.Success);
        assertEquals(Dimse.C_STORE_RSP, Commands.dimseOf(rsp));
        assertEquals(7, Commands.messageIdBeingRespondedTo(rsp));
        assertEquals("1.2.3.4", rsp.getString(Tag.AffectedSOPInstanceUID));
        assertFalse(Commands.hasDataset(rsp));
        Attributes nget = Commands.nRQ(Dimse.N_GET_RQ, 2, "1.2.840.10008.3.1.2.3.3", "1.9", false);
        assertEquals("1.9", nget.getString(Tag.RequestedSOPInstanceUID));
        assertEquals("1.9", Commands.mkRSP(nget, 0).getString(Tag.AffectedSOPInstanceUID));

        DicomServiceException e = new DicomServiceException(Status.ProcessingFailure, "x".repeat(100));
        Attributes failed = e.fillResponse(Commands.mkRSP(back, e.status()));
        assertEquals(64, failed.getString(Tag.ErrorComment).length());
        assertEquals(Status.ProcessingFailure, Commands.status(failed));
    }
}
