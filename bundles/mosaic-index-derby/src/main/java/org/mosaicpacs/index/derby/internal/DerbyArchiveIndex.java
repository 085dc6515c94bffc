package org.mosaicpacs.index.derby.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthIndicator;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StorageUsage;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link ArchiveIndex} over the DataSource selected by {@code dataSource.target} (default: the
 * embedded Derby of the {@code mosaic-derby} feature). Activation brings the schema up to date; the
 * component goes away with its DataSource (the health report then names the missing reference) and
 * comes back when one returns. Also a {@link HealthIndicator} ("index"): UP while the database answers.
 */
@Component(service = {ArchiveIndex.class, HealthIndicator.class}, configurationPid = DerbyArchiveIndex.PID)
@Designate(ocd = DerbyIndexConfiguration.class)
public final class DerbyArchiveIndex implements ArchiveIndex, HealthIndicator {

    static final String PID = "org.mosaicpacs.index.derby";

    private final JdbcArchiveIndex index;

    @Activate
    public DerbyArchiveIndex(@Reference(name = "dataSource", target = "(dataSourceName=mosaic)") DataSource dataSource,
                             DerbyIndexConfiguration configuration) throws SQLException, IOException {
        this.index = new JdbcArchiveIndex(dataSource, new DerbyDialect());
        index.migrate();
    }

    @Override
    public StoreOutcome store(Attributes dataset, StorageLocation location, DuplicatePolicy policy) throws IndexException {
        return index.store(dataset, location, policy);
    }

    @Override
    public boolean relocate(String sopUID, StorageLocation from, StorageLocation to) throws IndexException {
        return index.relocate(sopUID, from, to);
    }

    @Override
    public Map<String, StorageUsage> storageUsage() throws IndexException {
        return index.storageUsage();
    }

    @Override
    public int query(QueryRequest request, Predicate<Attributes> sink) throws IndexException {
        return index.query(request, sink);
    }

    @Override
    public List<InstanceLocation> locate(String studyUID, String seriesUID, String sopUID) throws IndexException {
        return index.locate(studyUID, seriesUID, sopUID);
    }

    @Override
    public List<InstanceLocation> delete(String studyUID, String seriesUID, String sopUID) throws IndexException {
        return index.delete(studyUID, seriesUID, sopUID);
    }

    @Override
    public String name() {
        return "index";
    }

    @Override
    public Health health() {
        try {
            return Health.up("schema version " + index.schemaVersion());
        } catch (SQLException e) {
            return Health.down("the index database does not answer: " + e.getMessage());
        }
    }
}
