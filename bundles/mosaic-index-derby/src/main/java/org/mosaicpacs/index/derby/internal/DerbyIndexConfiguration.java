package org.mosaicpacs.index.derby.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS index (Derby)",
        description = "The archive index (patients, studies, series, instances) in the embedded Derby DataSource.")
public @interface DerbyIndexConfiguration {

    @AttributeDefinition(name = "DataSource",
            description = "An LDAP filter selecting the javax.sql.DataSource service that holds the index.")
    String dataSource_target() default "(dataSourceName=mosaic)";
}
