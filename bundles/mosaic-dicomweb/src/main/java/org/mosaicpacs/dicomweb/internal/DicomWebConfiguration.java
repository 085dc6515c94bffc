package org.mosaicpacs.dicomweb.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS DICOMweb",
        description = "QIDO-RS, WADO-RS, STOW-RS and WADO-URI (PS3.18) on the HTTP server of the archive.")
public @interface DicomWebConfiguration {

    @AttributeDefinition(name = "Path prefix",
            description = "Where the DICOMweb services are served, e.g. /dicom-web: /dicom-web/studies, "
                    + "/dicom-web/wado. Starts with '/', no trailing '/'.")
    String pathPrefix() default "/dicom-web";

    @AttributeDefinition(name = "Maximum results",
            description = "The most matches one QIDO-RS search returns (also when a larger limit is asked for); "
                    + "a cut answer carries a 'Warning: 299' header.")
    int maxResults() default 1000;

    @AttributeDefinition(name = "CORS origins",
            description = "Origins allowed to call from a browser (Access-Control-Allow-Origin), e.g. "
                    + "https://viewer.example.org; '*' allows every origin; empty allows none.")
    String[] corsOrigins() default {};

    @AttributeDefinition(name = "Metadata cache directory",
            description = "Where the per-series metadata (WADO-RS /metadata) is kept once built. "
                    + "${mosaic.data} is replaced by the system property mosaic.data.")
    String metadataCacheDirectory() default "${mosaic.data}/dicomweb/metadata";

    @AttributeDefinition(name = "Bulk data threshold (bytes)",
            description = "Binary values at least this long are given as a BulkDataURI in metadata instead of inline.")
    int bulkDataThreshold() default 1024;
}
