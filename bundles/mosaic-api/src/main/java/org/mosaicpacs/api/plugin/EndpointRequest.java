package org.mosaicpacs.api.plugin;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request to a plugin's endpoint.
 *
 * @param method     {@code GET}, {@code POST}, ...
 * @param path       what follows {@code /plugins/<name>}: {@code ""} or starting with {@code /}, e.g. {@code /count}
 * @param parameters the query parameters, each with its values in order
 * @param body       the request body (empty for GET); read it during the call, not after
 */
public record EndpointRequest(String method, String path, Map<String, List<String>> parameters, InputStream body) {

    public EndpointRequest {
        Objects.requireNonNull(method, "method");
        path = path == null ? "" : path;
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        body = body == null ? InputStream.nullInputStream() : body;
    }

    /** The first value of a query parameter, or {@code null}. */
    public String parameter(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
