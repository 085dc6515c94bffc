package org.mosaicpacs.plugins.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS plugin runtime",
        description = "How the plugins' hooks are fed: queues, stable times, interceptor time budget.")
public @interface PluginsConfiguration {

    @AttributeDefinition(name = "Queue capacity",
            description = "Events one plugin may have waiting; beyond that new events for it are dropped and counted.")
    int queueCapacity() default 1000;

    @AttributeDefinition(name = "Slow call (ms)", description = "A hook call that takes longer is counted as slow.")
    long slowCallMillis() default 5000;

    @AttributeDefinition(name = "Series stable after (s)",
            description = "A series is stable when no new instance arrived in it for this long.")
    long seriesStableSeconds() default 60;

    @AttributeDefinition(name = "Study stable after (s)",
            description = "A study is stable when no new instance arrived in it for this long.")
    long studyStableSeconds() default 300;

    @AttributeDefinition(name = "Interceptor time budget (ms)",
            description = "How long an ingest waits for one IngestInterceptor, and a query or retrieve for one "
                    + "QueryRetrieveHook; a later answer is ignored (and counted as slow).")
    long interceptorTimeoutMillis() default 2000;

    @AttributeDefinition(name = "Pending file",
            description = "Where the series and studies not yet stable are kept across restarts. "
                    + "${mosaic.data} is replaced by the system property mosaic.data.")
    String pendingFile() default "${mosaic.data}/plugins/pending-stable.txt";
}
