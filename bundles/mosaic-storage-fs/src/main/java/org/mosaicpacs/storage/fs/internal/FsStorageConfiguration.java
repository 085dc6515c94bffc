package org.mosaicpacs.storage.fs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS file-system storage",
        description = "A storage backend that keeps objects as files under a root directory. "
                + "One configuration per backend (factory PID org.mosaicpacs.storage.fs).")
public @interface FsStorageConfiguration {

    @AttributeDefinition(name = "Storage id",
            description = "The id the index records with every instance stored here (service property storage.id). "
                    + "Do not change it once images are stored.")
    String storage_id() default "default";

    @AttributeDefinition(name = "Root directory",
            description = "Where the objects are kept. ${mosaic.data} is replaced by the system property mosaic.data.")
    String root() default "${mosaic.data}/storage";

    @AttributeDefinition(name = "Flush to the device",
            description = "Flush each object and its directory to the device (fsync) before a store is acknowledged. "
                    + "Turn off only for tests: a power cut may then lose acknowledged images.")
    boolean fsync() default true;

    @AttributeDefinition(name = "Directory depth",
            description = "Levels of two-hex-digit directories above each file (0 to 8).", min = "0", max = "8")
    int depth() default 2;

    @AttributeDefinition(name = "Minimum free space (MiB)",
            description = "The health report says DOWN when less than this is free under the root directory.")
    long minFreeMiB() default 64;
}
