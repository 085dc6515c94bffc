package org.mosaicpacs.plugins.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;

/**
 * {@code /plugins/*}: {@code /plugins/} lists the plugins that have an endpoint (JSON), {@code
 * /plugins/<name>/...} goes to that plugin's {@link org.mosaicpacs.api.plugin.PluginEndpoint}, 404 when there is
 * none of that name.
 */
final class PluginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient PluginRuntime runtime;

    PluginServlet(PluginRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String info = request.getPathInfo() == null ? "" : request.getPathInfo();
        String rest = info.startsWith("/") ? info.substring(1) : info;
        if (rest.isEmpty()) {
            String names = runtime.endpointNames().stream().map(n -> "\"" + n.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                    .collect(Collectors.joining(","));
            write(response, EndpointResponse.json("{\"plugins\":[" + names + "]}"));
            return;
        }
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> parameters.put(k, Arrays.asList(v)));
        Optional<EndpointResponse> answer = runtime.handle(name,
                new EndpointRequest(request.getMethod(), path, parameters, request.getInputStream()));
        write(response, answer.orElseGet(() -> EndpointResponse.notFound("no plugin named " + name + " has an endpoint")));
    }

    private static void write(HttpServletResponse response, EndpointResponse answer) throws IOException {
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

}
