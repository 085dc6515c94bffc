package org.mosaicpacs.dicom.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A device (PS3.15 Annex H "Device"): its application entities, its network connections and the
 * limits shared by them. A plain mutable configuration object.
 */
public final class Device {

    /** The implementation class UID of Mosaic PACS. */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.278385958283025098771800376006710447079";
    /** The implementation version name of this release. */
    public static final String IMPLEMENTATION_VERSION_NAME = "MOSAIC_0.1.0";

    private final String name;
    private final List<ApplicationEntity> applicationEntities = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private int maxAssociations = 50;
    private String implementationClassUid = IMPLEMENTATION_CLASS_UID;
    private String implementationVersionName = IMPLEMENTATION_VERSION_NAME;

    /** @param name the device name */
    public Device(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @return the device name */
    public String getName() {
        return name;
    }

    /** @return the application entities */
    public List<ApplicationEntity> getApplicationEntities() {
        return Collections.unmodifiableList(applicationEntities);
    }

    /** @param ae an application entity @return this */
    public Device addApplicationEntity(ApplicationEntity ae) {
        applicationEntities.add(Objects.requireNonNull(ae));
        return this;
    }

    /**
     * @param aeTitle an AE title
     * @return the application entity with that title, or {@code null}
     */
    public ApplicationEntity getApplicationEntity(String aeTitle) {
        for (ApplicationEntity ae : applicationEntities) {
            if (ae.getAETitle().equals(aeTitle)) {
                return ae;
            }
        }
        return null;
    }

    /** @return the network connections */
    public List<Connection> getConnections() {
        return Collections.unmodifiableList(connections);
    }

    /** @param connection a network connection @return this */
    public Device addConnection(Connection connection) {
        connections.add(Objects.requireNonNull(connection));
        return this;
    }

    /** @return the largest number of concurrently accepted associations, 0 unlimited */
    public int getMaxAssociations() {
        return maxAssociations;
    }

    /** @param n largest number of concurrently accepted associations, 0 unlimited @return this */
    public Device setMaxAssociations(int n) {
        this.maxAssociations = n;
        return this;
    }

    /** @return the implementation class UID sent in A-ASSOCIATE-RQ/AC */
    public String getImplementationClassUid() {
        return implementationClassUid;
    }

    /** @param uid implementation class UID @return this */
    public Device setImplementationClassUid(String uid) {
        this.implementationClassUid = uid;
        return this;
    }

    /** @return the implementation version name sent in A-ASSOCIATE-RQ/AC */
    public String getImplementationVersionName() {
        return implementationVersionName;
    }

    /** @param name implementation version name, at most 16 characters @return this */
    public Device setImplementationVersionName(String name) {
        this.implementationVersionName = name;
        return this;
    }

    @Override
    public String toString() {
        return "Device[" + name + "]";
    }
}
