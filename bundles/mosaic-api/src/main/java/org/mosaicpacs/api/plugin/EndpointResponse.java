package org.mosaicpacs.api.plugin;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a plugin's endpoint answers.
 *
 * @param status      the HTTP status
 * @param contentType the media type of the body, e.g. {@code application/json}
 * @param body        the body (empty for none)
 */
public record EndpointResponse(int status, String contentType, byte[] body) {

    public EndpointResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        contentType = contentType == null ? "application/octet-stream" : contentType;
        body = body == null ? new byte[0] : body;
    }

    /** 200 with a JSON document (the caller writes valid JSON). */
    public static EndpointResponse json(String json) {
        return new EndpointResponse(200, "application/json", Objects.requireNonNull(json).getBytes(StandardCharsets.UTF_8));
    }

    /** A status with a plain-text message. */
    public static EndpointResponse text(int status, String message) {
        return new EndpointResponse(status, "text/plain;charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
    }

    /** 404 with a plain-text message. */
    public static EndpointResponse notFound(String message) {
        return text(404, message);
    }
}
