package org.mosaicpacs.dicomweb.internal;

/** A request answered with an HTTP error status and a message for the client (PS3.18 8.6.1). */
final class WebException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    WebException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static WebException badRequest(String message) {
        return new WebException(400, message);
    }

    static WebException notFound(String message) {
        return new WebException(404, message);
    }

    static WebException notAcceptable(String message) {
        return new WebException(406, message);
    }

    static WebException unavailable(String message) {
        return new WebException(503, message);
    }
}
