package org.mosaicpacs.dimse.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS remote AE",
        description = "A DICOM peer the archive knows by AE title: a C-MOVE destination, a Storage Commitment requestor, "
                + "a target of mosaic:echo and mosaic:store. One configuration per AE; a change is seen by the next association.")
public @interface RemoteAEConfiguration {

    @AttributeDefinition(name = "AE title", description = "The AE title of the remote AE (1 to 16 characters).")
    String aeTitle();

    @AttributeDefinition(name = "Host", description = "Host name or address the remote AE listens on.")
    String hostname();

    @AttributeDefinition(name = "Port", description = "The TCP port the remote AE listens on.")
    int port() default 104;

    @AttributeDefinition(name = "TLS",
            description = "Associations to it use TLS, with the archive's key and trust store (org.mosaicpacs.dimse).")
    boolean tls() default false;

    @AttributeDefinition(name = "Description", description = "Free text for the admin (where it is, who runs it).")
    String description() default "";

    @AttributeDefinition(name = "De-identify on retrieve",
            description = "A de-identification profile (feature mosaic-deidentify): what this AE retrieves (C-MOVE as "
                    + "destination, C-GET) is de-identified with it on the way out. Empty: sent as stored. While the "
                    + "feature or the profile is missing, nothing is sent to it.")
    String deidentifyOnRetrieve() default "";

    @AttributeDefinition(name = "De-identify on store",
            description = "A de-identification profile (feature mosaic-deidentify): what this AE stores as calling AE is "
                    + "de-identified with it before the archive keeps it. Empty: stored as received. While the feature "
                    + "or the profile is missing, its C-STORE requests are refused.")
    String deidentifyOnStore() default "";

    @AttributeDefinition(name = "Web clients",
            description = "Addresses of HTTP clients whose DICOMweb requests count as this AE's: IP addresses or CIDR "
                    + "ranges (10.1.2.3, 10.1.2.0/24, fd00::/8), no host names. With 'De-identify on retrieve', their "
                    + "WADO-RS and WADO-URI retrievals are de-identified and their QIDO-RS searches refused (403).")
    String[] webClients() default {};
}
