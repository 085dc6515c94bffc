package org.mosaicpacs.dicom.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * TEST-ONLY handler: reassembles messages per presentation context, records fragment sizes, and
 * (when {@code respond}) answers C-ECHO-RQ with C-ECHO-RSP and echoes any message with a data set.
 */
final class TestHandler implements AssociationHandler {

    /** A received message. */
    record Message(int presentationContextId, byte[] command, byte[] dataSet) {
    }

    final boolean respond;
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final List<Integer> dataFragmentSizes = new CopyOnWriteArrayList<>();
    final BlockingQueue<Association> closed = new LinkedBlockingQueue<>();
    final BlockingQueue<Association> established = new LinkedBlockingQueue<>();
    private final Map<Integer, ByteArrayOutputStream> commands = new HashMap<>();
    private final Map<Integer, byte[]> pendingCommands = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> dataSets = new HashMap<>();

    /** If set, answers A-RELEASE indications instead of the default immediate response. */
    volatile ReleaseHook releaseHook;

    interface ReleaseHook {
        void onReleaseRequest(Association as) throws IOException;
    }

    TestHandler(boolean respond) {
        this.respond = respond;
    }

    @Override
    public void onEstablished(Association association) {
        established.add(association);
    }

    @Override
    public void onPData(Association as, int pcid, boolean command, boolean last, ByteBuffer fragment)
            throws IOException {
        byte[] bytes = new byte[fragment.remaining()];
        fragment.get(bytes);
        if (command) {
            commands.computeIfAbsent(pcid, k -> new ByteArrayOutputStream()).writeBytes(bytes);
            if (last) {
                byte[] cmd = commands.remove(pcid).toByteArray();
                if (CommandSets.us(CommandSets.parse(cmd), 0x0800) == CommandSets.NO_DATA_SET) {
                    complete(as, new Message(pcid, cmd, null));
                } else {
                    pendingCommands.put(pcid, cmd);
                }
            }
        } else {
            dataFragmentSizes.add(bytes.length);
            dataSets.computeIfAbsent(pcid, k -> new ByteArrayOutputStream()).writeBytes(bytes);
            if (last) {
                complete(as, new Message(pcid, pendingCommands.remove(pcid), dataSets.remove(pcid).toByteArray()));
            }
        }
    }

    private void complete(Association as, Message m) throws IOException {
        messages.add(m);
        if (!respond) {
            return;
        }
        Map<Integer, byte[]> cmd = CommandSets.parse(m.command());
        if (CommandSets.us(cmd, 0x0100) == CommandSets.C_ECHO_RQ) {
            as.sendMessage(m.presentationContextId(),
                    new ByteArrayInputStream(CommandSets.echoResponse(CommandSets.us(cmd, 0x0110))), null);
        } else if (CommandSets.us(cmd, 0x0100) == CommandSets.C_STORE_RQ) {
            as.sendMessage(m.presentationContextId(), new ByteArrayInputStream(CommandSets.storeResponse(cmd)), null);
        } else if (m.dataSet() != null) {
            as.sendMessage(m.presentationContextId(), new ByteArrayInputStream(m.command()),
                    new ByteArrayInputStream(m.dataSet()));
        }
    }

    @Override
    public void onReleaseRequest(Association as) throws IOException {
        ReleaseHook hook = releaseHook;
        if (hook == null) {
            as.releaseResponse();
        } else {
            hook.onReleaseRequest(as);
        }
    }

    @Override
    public void onClosed(Association association) {
        closed.add(association);
    }
}
