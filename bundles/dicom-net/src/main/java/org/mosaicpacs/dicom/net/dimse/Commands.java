package org.mosaicpacs.dicom.net.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.io.DicomReadLimits;

/**
 * DIMSE command sets (PS3.7 chapter 9 and 10) as {@link Attributes}: factories for requests and
 * responses, accessors, and the Implicit VR Little Endian encoding with Command Group Length.
 */
public final class Commands {

    /** Command Data Set Type (0000,0800): no data set. */
    public static final int NO_DATASET = 0x0101;
    /** Command Data Set Type (0000,0800): a data set follows (any other value). */
    public static final int WITH_DATASET = 0x0000;

    /** Priority (0000,0700): medium. */
    public static final int MEDIUM = 0;
    /** Priority (0000,0700): high. */
    public static final int HIGH = 1;
    /** Priority (0000,0700): low. */
    public static final int LOW = 2;

    /** The largest command set we decode; command sets are a few hundred bytes. */
    public static final int MAX_COMMAND_LENGTH = 64 * 1024;

    private Commands() {
    }

    private static Attributes rq(Dimse dimse, int msgId, String cuid, boolean dataset) {
        Attributes cmd = new Attributes();
        if (cuid != null) {
            cmd.setString(dimse.isNService() && dimse != Dimse.N_EVENT_REPORT_RQ && dimse != Dimse.N_CREATE_RQ
                    ? Tag.RequestedSOPClassUID : Tag.AffectedSOPClassUID, VR.UI, cuid);
        }
        cmd.setInt(Tag.CommandField, VR.US, dimse.commandField());
        cmd.setInt(Tag.MessageID, VR.US, msgId);
        cmd.setInt(Tag.CommandDataSetType, VR.US, dataset ? WITH_DATASET : NO_DATASET);
        return cmd;
    }

    /** @return a C-ECHO-RQ */
    public static Attributes cechoRQ(int msgId, String cuid) {
        return rq(Dimse.C_ECHO_RQ, msgId, cuid, false);
    }

    /** @return a C-STORE-RQ (a data set follows) */
    public static Attributes cstoreRQ(int msgId, String cuid, String iuid, int priority) {
        Attributes cmd = rq(Dimse.C_STORE_RQ, msgId, cuid, true);
        cmd.setInt(Tag.Priority, VR.US, priority);
        cmd.setString(Tag.AffectedSOPInstanceUID, VR.UI, iuid);
        return cmd;
    }

    /**
     * @return a C-STORE-RQ for a C-MOVE sub-operation, with Move Originator AE title and message ID
     */
    public static Attributes cstoreRQ(int msgId, String cuid, String iuid, int priority, String moveOriginatorAET,
            int moveOriginatorMsgId) {
        Attributes cmd = cstoreRQ(msgId, cuid, iuid, priority);
        if (moveOriginatorAET != null) {
            cmd.setString(Tag.MoveOriginatorApplicationEntityTitle, VR.AE, moveOriginatorAET);
            cmd.setInt(Tag.MoveOriginatorMessageID, VR.US, moveOriginatorMsgId);
        }
        return cmd;
    }

    /** @return a C-FIND-RQ (the identifier follows) */
    public static Attributes cfindRQ(int msgId, String cuid, int priority) {
        Attributes cmd = rq(Dimse.C_FIND_RQ, msgId, cuid, true);
        cmd.setInt(Tag.Priority, VR.US, priority);
        return cmd;
    }

    /** @return a C-MOVE-RQ (the identifier follows) */
    public static Attributes cmoveRQ(int msgId, String cuid, int priority, String destination) {
        Attributes cmd = rq(Dimse.C_MOVE_RQ, msgId, cuid, true);
        cmd.setInt(Tag.Priority, VR.US, priority);
        cmd.setString(Tag.MoveDestination, VR.AE, destination);
        return cmd;
    }

    /** @return a C-GET-RQ (the identifier follows) */
    public static Attributes cgetRQ(int msgId, String cuid, int priority) {
        Attributes cmd = rq(Dimse.C_GET_RQ, msgId, cuid, true);
        cmd.setInt(Tag.Priority, VR.US, priority);
        return cmd;
    }

    /** @return a C-CANCEL-RQ for the operation with the given message ID */
    public static Attributes ccancelRQ(int msgIdBeingRespondedTo) {
        Attributes cmd = new Attributes();
        cmd.setInt(Tag.CommandField, VR.US, Dimse.C_CANCEL_RQ.commandField());
        cmd.setInt(Tag.MessageIDBeingRespondedTo, VR.US, msgIdBeingRespondedTo);
        cmd.setInt(Tag.CommandDataSetType, VR.US, NO_DATASET);
        return cmd;
    }

    /** @return an N-* request; {@code iuid} goes to Affected or Requested SOP Instance UID as PS3.7 says */
    public static Attributes nRQ(Dimse dimse, int msgId, String cuid, String iuid, boolean dataset) {
        Attributes cmd = rq(dimse, msgId, cuid, dataset);
        if (iuid != null) {
            boolean affected = dimse == Dimse.N_EVENT_REPORT_RQ || dimse == Dimse.N_CREATE_RQ;
            cmd.setString(affected ? Tag.AffectedSOPInstanceUID : Tag.RequestedSOPInstanceUID, VR.UI, iuid);
        }
        return cmd;
    }

    /**
     * Makes the response to a request: the response command field, Message ID Being Responded To, the
     * Affected SOP Class/Instance UID copied from the request (Requested ones for N-GET/SET/ACTION/DELETE),
     * the status, and no data set.
     *
     * @param rq the request command set
     * @param status the status
     * @return the response command set
     */
    public static Attributes mkRSP(Attributes rq, int status) {
        Dimse dimse = dimseOf(rq);
        if (dimse == null || dimse.response() == null) {
            throw new IllegalArgumentException("not a request: " + rq);
        }
        Attributes rsp = new Attributes();
        String cuid = rq.getString(Tag.AffectedSOPClassUID);
        if (cuid == null) {
            cuid = rq.getString(Tag.RequestedSOPClassUID);
        }
        if (cuid != null) {
            rsp.setString(Tag.AffectedSOPClassUID, VR.UI, cuid);
        }
        rsp.setInt(Tag.CommandField, VR.US, dimse.response().commandField());
        rsp.setInt(Tag.MessageIDBeingRespondedTo, VR.US, messageId(rq));
        rsp.setInt(Tag.CommandDataSetType, VR.US, NO_DATASET);
        rsp.setInt(Tag.Status, VR.US, status);
        String iuid = rq.getString(Tag.AffectedSOPInstanceUID);
        if (iuid == null) {
            iuid = rq.getString(Tag.RequestedSOPInstanceUID);
        }
        if (iuid != null && dimse != Dimse.C_FIND_RQ && dimse != Dimse.C_MOVE_RQ && dimse != Dimse.C_GET_RQ) {
            rsp.setString(Tag.AffectedSOPInstanceUID, VR.UI, iuid);
        }
        return rsp;
    }

    /** @return the message, or {@code null} if the command field is missing or unknown */
    public static Dimse dimseOf(Attributes cmd) {
        int cf = cmd.getInt(Tag.CommandField, -1);
        return cf < 0 ? null : Dimse.valueOf(cf);
    }

    /** @return Message ID (0000,0110), or -1 */
    public static int messageId(Attributes cmd) {
        return cmd.getInt(Tag.MessageID, -1);
    }

    /** @return Message ID Being Responded To (0000,0120), or -1 */
    public static int messageIdBeingRespondedTo(Attributes cmd) {
        return cmd.getInt(Tag.MessageIDBeingRespondedTo, -1);
    }

    /** @return Status (0000,0900), or -1 */
    public static int status(Attributes cmd) {
        return cmd.getInt(Tag.Status, -1);
    }

    /** @return Priority (0000,0700), {@link #MEDIUM} if absent */
    public static int priority(Attributes cmd) {
        return cmd.getInt(Tag.Priority, MEDIUM);
    }

    /** @return whether a data set follows the command set */
    public static boolean hasDataset(Attributes cmd) {
        return cmd.getInt(Tag.CommandDataSetType, NO_DATASET) != NO_DATASET;
    }

    /** @param cmd a command set @param dataset whether a data set follows @return {@code cmd} */
    public static Attributes setDataset(Attributes cmd, boolean dataset) {
        cmd.setInt(Tag.CommandDataSetType, VR.US, dataset ? WITH_DATASET : NO_DATASET);
        return cmd;
    }

    /** @return the SOP class UID of a command: Affected, else Requested */
    public static String sopClassUid(Attributes cmd) {
        String cuid = cmd.getString(Tag.AffectedSOPClassUID);
        return cuid != null ? cuid : cmd.getString(Tag.RequestedSOPClassUID);
    }

    /** @return the SOP instance UID of a command: Affected, else Requested */
    public static String sopInstanceUid(Attributes cmd) {
        String iuid = cmd.getString(Tag.AffectedSOPInstanceUID);
        return iuid != null ? iuid : cmd.getString(Tag.RequestedSOPInstanceUID);
    }

    /**
     * Encodes a command set in Implicit VR Little Endian with the Command Group Length first.
     *
     * @param cmd the command set (a Command Group Length in it is ignored and recomputed)
     * @return the encoded bytes
     */
    public static byte[] encode(Attributes cmd) {
        ByteArrayOutputStream bout = new ByteArrayOutputStream(256);
        try {
            Attributes copy = new Attributes(cmd);
            copy.remove(Tag.CommandGroupLength);
            // a command set is about a hundred bytes: a small buffer, not the writer's default 64 KiB
            DicomOutputStream out = new DicomOutputStream(bout, UID.ImplicitVRLittleEndian, 512);
            out.writeCommand(copy);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bout.toByteArray();
    }

    /**
     * Decodes a command set.
     *
     * @param bytes Implicit VR Little Endian command set
     * @return the command set (without Command Group Length)
     * @throws IOException if malformed
     */
    public static Attributes decode(byte[] bytes) throws IOException {
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes), UID.ImplicitVRLittleEndian);
        in.setLimits(DicomReadLimits.DEFAULT);
        Attributes cmd = in.readDataset();
        cmd.remove(Tag.CommandGroupLength);
        return cmd;
    }

    /** @return a short description, e.g. "C-STORE-RQ[id=3, cuid=..., iuid=...]" */
    public static String toString(Attributes cmd) {
        Dimse d = dimseOf(cmd);
        StringBuilder sb = new StringBuilder(d == null ? "?" : d.toString()).append('[');
        if (d != null && d.isResponse()) {
            sb.append("rspTo=").append(messageIdBeingRespondedTo(cmd)).append(", status=")
                    .append(Status.toString(status(cmd)));
        } else {
            sb.append("id=").append(d == Dimse.C_CANCEL_RQ ? messageIdBeingRespondedTo(cmd) : messageId(cmd));
        }
        String cuid = sopClassUid(cmd);
        if (cuid != null) {
            sb.append(", cuid=").append(cuid);
        }
        String iuid = sopInstanceUid(cmd);
        if (iuid != null) {
            sb.append(", iuid=").append(iuid);
        }
        return sb.append(']').toString();
    }
}
