package org.mosaicpacs.itest.hooks;

import java.util.Hashtable;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.IngestInterceptor;
import org.mosaicpacs.api.plugin.PluginConstants;
import org.mosaicpacs.api.plugin.QueryRetrieveHook;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The plugin {@code PluginHooksIT} packs into a bundle of its own and drops into {@code deploy/} (this one class and
 * a manifest; no DS, so the jar needs no generated descriptor): an {@link IngestInterceptor} that renames the
 * patient of every instance and refuses those of patient {@value #REFUSED_PATIENT} with A700, and a
 * {@link QueryRetrieveHook} that refuses queries for patient {@value #FORBIDDEN_PATIENT} with 0124 and retrieves
 * of studies whose UID contains {@value #EMBARGOED_MARK}.
 */
public final class HooksPlugin implements BundleActivator, IngestInterceptor, QueryRetrieveHook {

    public static final String NAME = "hooks";
    public static final String REFUSED_PATIENT = "HOOKS-REFUSED";
    public static final String FORBIDDEN_PATIENT = "FORBIDDEN";
    public static final String EMBARGOED_MARK = ".666.";
    public static final String COERCED_NAME = "COERCED^BY^HOOKS";

    private ServiceRegistration<?> registration;

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PluginConstants.PLUGIN_NAME, NAME);
        registration = context.registerService(new String[] {IngestInterceptor.class.getName(),
            QueryRetrieveHook.class.getName()}, this, properties);
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
        }
    }

    @Override
    public org.mosaicpacs.api.plugin.Verdict intercept(Attributes dataset, Origin origin) {
        if (REFUSED_PATIENT.equals(dataset.getString(Tag.PatientID))) {
            return org.mosaicpacs.api.plugin.Verdict.reject(0xA700, "hooks: quota exhausted");
        }
        dataset.setString(Tag.PatientName, VR.PN, COERCED_NAME);
        return org.mosaicpacs.api.plugin.Verdict.coerced();
    }

    @Override
    public org.mosaicpacs.api.plugin.Verdict beforeQuery(QueryLevel level, Attributes keys, Origin origin) {
        return FORBIDDEN_PATIENT.equals(keys.getString(Tag.PatientID))
                ? org.mosaicpacs.api.plugin.Verdict.reject(0x0124, "hooks: forbidden patient")
                : org.mosaicpacs.api.plugin.Verdict.accept();
    }

    @Override
    public org.mosaicpacs.api.plugin.Verdict beforeRetrieve(String study, String series, String sop, Origin origin,
                                                          String destination) {
        return study.contains(EMBARGOED_MARK)
                ? org.mosaicpacs.api.plugin.Verdict.reject(0x0124, "hooks: study under embargo")
                : org.mosaicpacs.api.plugin.Verdict.accept();
    }
}
