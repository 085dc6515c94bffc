package org.mosaicpacs.dicom.net;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.mosaicpacs.dicom.net.pdu.Pdu;
import org.mosaicpacs.dicom.net.pdu.PduDecoder;
import org.mosaicpacs.dicom.net.pdu.PduEncoder;

/** TEST-ONLY scripted peer on a plain socket, to drive exact PDU sequences. */
final class RawPeer implements Closeable {

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    private final PduDecoder decoder = new PduDecoder();

    RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawPeer connect(int port) throws IOException {
        return new RawPeer(new Socket("127.0.0.1", port));
    }

    void send(Pdu pdu) throws IOException {
        PduEncoder.write(pdu, out);
        out.flush();
    }

    Pdu read() throws IOException {
        return decoder.read(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
