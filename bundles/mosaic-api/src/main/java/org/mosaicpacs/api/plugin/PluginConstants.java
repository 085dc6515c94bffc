package org.mosaicpacs.api.plugin;

/** Service property names of the plugin whiteboard. */
public final class PluginConstants {

    /**
     * Service property: the plugin's name, unique in the archive, made of letters, digits, {@code -},
     * {@code _} and {@code .}. It is the path segment of its HTTP endpoint ({@code /plugins/<name>/})
     * and its line in {@code mosaic:plugin-list}. Without it the plugin is named after its bundle's
     * symbolic name.
     */
    public static final String PLUGIN_NAME = "mosaic.plugin.name";

    private PluginConstants() {
    }
}
