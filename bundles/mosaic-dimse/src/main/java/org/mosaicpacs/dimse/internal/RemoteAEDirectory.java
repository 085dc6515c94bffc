package org.mosaicpacs.dimse.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The remote AEs: the {@link RemoteAEEntry} components DS makes from the factory configurations
 * {@value RemoteApplicationEntities#FACTORY_PID}, collected by a dynamic reference (a configuration added,
 * changed or deleted is seen by the next lookup); {@link #add} and {@link #remove} write those configurations
 * through {@link ConfigurationAdmin}.
 */
@Component(service = RemoteApplicationEntities.class)
public final class RemoteAEDirectory implements RemoteApplicationEntities {

    /** How long {@link #add} and {@link #remove} wait for DS to apply the configuration. */
    private static final long APPLY_WAIT_MILLIS = 5000;

    private final ConfigurationAdmin configurationAdmin;
    private final List<RemoteAEEntry> entries = new CopyOnWriteArrayList<>();

    @Activate
    public RemoteAEDirectory(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEntry(RemoteAEEntry entry) {
        entries.add(entry);
    }

    void removeEntry(RemoteAEEntry entry) {
        entries.remove(entry);
    }

    @Override
    public List<RemoteApplicationEntity> list() {
        List<RemoteApplicationEntity> list = new ArrayList<>();
        for (RemoteAEEntry e : entries) {
            if (list.stream().noneMatch(a -> a.aeTitle().equals(e.ae().aeTitle()))) {
                list.add(e.ae());
            }
        }
        list.sort(Comparator.comparing(RemoteApplicationEntity::aeTitle));
        return list;
    }

    @Override
    public Optional<RemoteApplicationEntity> lookup(String aeTitle) {
        if (aeTitle == null) {
            return Optional.empty();
        }
        String aet = aeTitle.strip();
        for (RemoteAEEntry e : entries) {
            if (e.ae().aeTitle().equals(aet)) {
                return Optional.of(e.ae());
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean add(RemoteApplicationEntity ae) throws IOException {
        Configuration[] existing = configurations(ae.aeTitle());
        Configuration c = existing.length > 0 ? existing[0]
                : configurationAdmin.getFactoryConfiguration(FACTORY_PID, configurationName(ae.aeTitle()), "?");
        if (existing.length == 0 && c.getProperties() != null) {
            // the name is taken by another AE whose title differs only in characters not allowed in names
            c = configurationAdmin.createFactoryConfiguration(FACTORY_PID, "?");
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("aeTitle", ae.aeTitle());
        props.put("hostname", ae.hostname());
        props.put("port", ae.port());
        props.put("tls", ae.tls());
        props.put("description", ae.description());
        props.put("deidentifyOnRetrieve", ae.deidentifyOnRetrieve());
        props.put("deidentifyOnStore", ae.deidentifyOnStore());
        props.put("webClients", ae.webClients().toArray(new String[0]));
        c.update(props);
        for (int i = 1; i < existing.length; i++) {
            existing[i].delete();
        }
        await(() -> lookup(ae.aeTitle()).filter(ae::equals).isPresent());
        return existing.length > 0;
    }

    @Override
    public boolean remove(String aeTitle) throws IOException {
        Configuration[] existing = configurations(RemoteApplicationEntity.checkAETitle(aeTitle));
        for (Configuration c : existing) {
            c.delete();
        }
        await(() -> lookup(aeTitle).isEmpty());
        return existing.length > 0;
    }

    private Configuration[] configurations(String aeTitle) throws IOException {
        String filter = "(&(service.factoryPid=" + FACTORY_PID + ")(aeTitle=" + escape(aeTitle) + "))";
        try {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IOException("cannot search the configurations of AE " + aeTitle, e);
        }
    }

    /** An LDAP filter value with its special characters escaped (RFC 4515). */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** The name of the factory configuration of an AE: its title with anything but letters, digits, - and _ as _. */
    static String configurationName(String aeTitle) {
        return aeTitle.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static void await(java.util.function.BooleanSupplier done) throws IOException {
        long end = System.nanoTime() + APPLY_WAIT_MILLIS * 1_000_000;
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the configuration was applied");
            }
        }
    }
}
