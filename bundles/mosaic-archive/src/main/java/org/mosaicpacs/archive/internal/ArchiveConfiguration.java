package org.mosaicpacs.archive.internal;

import org.mosaicpacs.api.index.DuplicatePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS archive (ingest)",
        description = "How received instances are validated, coerced, stored and indexed.")
public @interface ArchiveConfiguration {

    @AttributeDefinition(name = "Storage id",
            description = "The default write target: the storage backend (service property storage.id) new "
                    + "instances are written to when no storage rule matches. Changed live: ingests in progress "
                    + "finish where they started, the next ones go to the new target.")
    String storageId() default "default";

    @AttributeDefinition(name = "Storage rules",
            description = "Write targets chosen per instance, first match wins: Criterion=Value -> storageId, "
                    + "where Criterion is CallingAETitle, Modality or SOPClassUID; e.g. Modality=MR -> s3-main. "
                    + "Changed live, like the storage id.")
    String[] storageRules() default {};

    @AttributeDefinition(name = "Duplicate policy",
            description = "An instance whose SOP Instance UID is already indexed: REJECT (C-STORE 0111), "
                    + "REPLACE (0000, the new copy replaces the first) or KEEP_FIRST (B006, the new copy is discarded).")
    DuplicatePolicy duplicatePolicy() default DuplicatePolicy.KEEP_FIRST;

    @AttributeDefinition(name = "Require Patient ID",
            description = "Refuse instances without a Patient ID (C-STORE A900).")
    boolean requirePatientID() default true;

    @AttributeDefinition(name = "Coercions",
            description = "Keyword=Value sets an attribute on every received instance; Keyword?=Value only when it "
                    + "is missing or empty. Applied to the stored object and the index.")
    String[] coercions() default {};

    @AttributeDefinition(name = "Largest header kept in memory (KiB)",
            description = "A received instance is written to storage once, as it arrives: its header (everything "
                    + "before Pixel Data) is kept in memory until it has been validated. A header longer than this "
                    + "is spooled to a file in the journal directory first (slower, same result).")
    int maxHeaderKiB() default 16 * 1024;

    @AttributeDefinition(name = "Validate content",
            description = "Refuse instances whose values break the encoding rules of PS3.5 (binary lengths, dates and "
                    + "times, control characters, UIDs, unknown Specific Character Set) or whose Pixel Data does not "
                    + "match Rows, Columns, Bits Allocated and Number of Frames, or is not the codestream its transfer "
                    + "syntax says. Off: such instances are stored as received.")
    boolean validateContent() default true;

    @AttributeDefinition(name = "Check the index against storage at start",
            description = "Once the index and the storage are present, check in the background that every indexed "
                    + "instance has its stored object; those without are reported (log WARN, health detail), never deleted.")
    boolean checkAtStart() default true;

    @AttributeDefinition(name = "Journal directory",
            description = "Where the ingest journal lives (a log of the instances in flight, and the spool of long headers). "
                    + "${mosaic.data} is replaced by the system property mosaic.data.")
    String journalDirectory() default "${mosaic.data}/ingest";
}
