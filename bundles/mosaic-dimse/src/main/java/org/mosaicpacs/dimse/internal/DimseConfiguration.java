package org.mosaicpacs.dimse.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS DICOM services",
        description = "The archive AE: C-ECHO, C-STORE, C-FIND, C-MOVE and C-GET SCP. A change restarts the listener.")
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
}
