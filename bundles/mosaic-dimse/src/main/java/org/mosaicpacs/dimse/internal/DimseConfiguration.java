package org.mosaicpacs.dimse.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS DICOM services",
        description = "The archive AE: C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET and Storage Commitment SCP. A change restarts "
                + "the listeners; remote AEs (factory PID org.mosaicpacs.dimse.ae) are read live.")
public @interface DimseConfiguration {

    @AttributeDefinition(name = "AE title", description = "The archive's AE title (called AE title it answers to).")
    String aeTitle() default "${mosaic.ae.title}";

    @AttributeDefinition(name = "Port", description = "The TCP port to listen on.")
    String port() default "${mosaic.dicom.port}";

    @AttributeDefinition(name = "Bind address", description = "The address to listen on; 0.0.0.0 for every interface.")
    String bindAddress() default "0.0.0.0";

    @AttributeDefinition(name = "Maximum associations",
            description = "Associations served at once; more are rejected (transient, local limit exceeded).")
    int maxAssociations() default 50;

    @AttributeDefinition(name = "Accepted calling AE titles",
            description = "The calling AE titles accepted (comma separated or several values); empty: any.")
    String[] acceptedCallingAETitles() default {};

    @AttributeDefinition(name = "Move destinations",
            description = "C-MOVE destinations as AET=host:port (comma separated or several values).")
    String[] moveDestinations() default {};

    @AttributeDefinition(name = "Storage transfer syntaxes",
            description = "Transfer syntax UIDs accepted for storage, in order of preference; * accepts what the sender "
                    + "proposes first. Instances are stored as received.")
    String[] storageTransferSyntaxes() default {"*"};

    @AttributeDefinition(name = "Case-insensitive PN matching",
            description = "Match Person Name keys of C-FIND without regard to case.")
    boolean caseInsensitivePN() default false;

    @AttributeDefinition(name = "Query limit",
            description = "The most C-FIND matches returned for one request; when more match, "
                    + "the query ends with A700 (narrow the query) after these.")
    int queryLimit() default 10000;

    @AttributeDefinition(name = "Response timeout (s)",
            description = "How long to wait for a peer's response to a C-STORE sub-operation; 0: no limit.")
    int responseTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Idle timeout (s)",
            description = "An association on which the peer sends nothing for this long (also in the middle of a PDU) "
                    + "is aborted and its resources freed; 0: no limit.")
    int idleTimeoutSeconds() default 120;

    @AttributeDefinition(name = "Spool directory",
            description = "Where received data sets are spooled before ingest. "
                    + "${mosaic.data} is replaced by the system property mosaic.data.")
    String spoolDirectory() default "${mosaic.data}/spool";

    // ---- remote AEs, TLS, Storage Commitment ----------------------------------------------------

    @AttributeDefinition(name = "Accept only configured remote AEs",
            description = "Accept associations only from calling AE titles configured as remote AEs "
                    + "(org.mosaicpacs.dimse.ae) or listed in the accepted calling AE titles; read at each association.")
    boolean acceptOnlyConfiguredRemoteAEs() default false;

    @AttributeDefinition(name = "TLS port",
            description = "The TCP port of a second listener that speaks TLS (PS3.15 Annex B), usually 2762; empty: none.")
    String tlsPort() default "";

    @AttributeDefinition(name = "TLS key store",
            description = "Key store file with the archive's private key and certificate (TLS listener, and outgoing "
                    + "associations to remote AEs marked TLS). ${karaf.etc} and ${mosaic.data} are expanded.")
    String tlsKeyStore() default "";

    @AttributeDefinition(name = "TLS key store type", description = "PKCS12 or JKS.")
    String tlsKeyStoreType() default "PKCS12";

    @AttributeDefinition(name = "TLS key store password", description = "Password of the key store and of its key.",
            type = AttributeType.PASSWORD)
    String tlsKeyStorePassword() default "";

    @AttributeDefinition(name = "TLS trust store",
            description = "Trust store file with the certificates of the peers (or their CAs) the archive trusts; "
                    + "empty: the JDK's default trust.")
    String tlsTrustStore() default "";

    @AttributeDefinition(name = "TLS trust store type", description = "PKCS12 or JKS.")
    String tlsTrustStoreType() default "PKCS12";

    @AttributeDefinition(name = "TLS trust store password", description = "Password of the trust store.",
            type = AttributeType.PASSWORD)
    String tlsTrustStorePassword() default "";

    @AttributeDefinition(name = "TLS protocols", description = "TLS versions enabled, e.g. TLSv1.3, TLSv1.2.")
    String[] tlsProtocols() default {"TLSv1.3", "TLSv1.2"};

    @AttributeDefinition(name = "TLS client certificate required",
            description = "Whether the TLS listener requires a certificate from the calling peer (mutual authentication).")
    boolean tlsNeedClientAuth() default true;

    @AttributeDefinition(name = "Storage Commitment report on a new association",
            description = "Always send the Storage Commitment N-EVENT-REPORT on a new association to the requesting AE "
                    + "(a configured remote AE); otherwise on the request's association while it is open.")
    boolean storageCommitmentReportOnNewAssociation() default false;
}
