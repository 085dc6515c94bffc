package org.mosaicpacs.storage.admin.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@link StorageConfigurations} in ConfigurationAdmin: what {@code config:list} shows. */
final class ConfigAdminStorageConfigurations implements StorageConfigurations {

    static final List<String> KINDS = List.of("fs", "s3");

    private final ConfigurationAdmin configurationAdmin;

    ConfigAdminStorageConfigurations(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    @Override
    public List<Configured> configured() throws IOException {
        List<Configured> out = new ArrayList<>();
        for (String kind : KINDS) {
            for (Configuration c : list("(service.factoryPid=" + StorageConfigurations.factoryPid(kind) + ")")) {
                Dictionary<String, Object> p = c.getProperties();
                if (p == null) {
                    continue;
                }
                Map<String, Object> props = new HashMap<>();
                for (String k : Collections.list(p.keys())) {
                    props.put(k, p.get(k));
                }
                Object id = props.get("storage.id");
                out.add(new Configured(id == null ? "" : id.toString(), kind, props));
            }
        }
        return out;
    }

    @Override
    public void create(String kind, String name, Map<String, Object> properties) throws IOException {
        Configuration c = configurationAdmin.getFactoryConfiguration(StorageConfigurations.factoryPid(kind), name, "?");
        if (c.getProperties() != null) {
            throw new IOException("a configuration " + c.getPid() + " exists already");
        }
        c.update(new Hashtable<>(properties));
    }

    @Override
    public boolean delete(String id) throws IOException {
        boolean any = false;
        for (String kind : KINDS) {
            for (Configuration c : list("(&(service.factoryPid=" + StorageConfigurations.factoryPid(kind)
                    + ")(storage.id=" + id + "))")) {
                c.delete();
                any = true;
            }
        }
        return any;
    }

    @Override
    public String writeTarget() throws IOException {
        Dictionary<String, Object> p = configurationAdmin.getConfiguration(ARCHIVE_PID, "?").getProperties();
        Object v = p == null ? null : p.get("storageId");
        return v == null ? "default" : v.toString().strip();
    }

    @Override
    public List<String> rules() throws IOException {
        Dictionary<String, Object> p = configurationAdmin.getConfiguration(ARCHIVE_PID, "?").getProperties();
        Object v = p == null ? null : p.get("storageRules");
        List<String> out = new ArrayList<>();
        if (v instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (v instanceof java.util.Collection<?> col) {
            col.forEach(o -> out.add(String.valueOf(o)));
        } else if (v != null) {
            for (String s : v.toString().split(",")) {
                out.add(s);
            }
        }
        out.removeIf(String::isBlank);
        out.replaceAll(String::strip);
        return out;
    }

    @Override
    public void setWriteTarget(String id) throws IOException {
        Configuration c = configurationAdmin.getConfiguration(ARCHIVE_PID, "?");
        Dictionary<String, Object> p = c.getProperties();
        if (p == null) {
            p = new Hashtable<>();
        }
        p.put("storageId", id);
        c.update(p);
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad filter " + filter, e);
        }
    }
}
