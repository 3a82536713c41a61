import CDC
import Converters
import Elasticsearch
import FileStream
import JDBCSink
import JDBCSource
import SchemaRegistry
import SluiceAPI
import SpoolDir
import Transforms

/// Every plugin bundled in the `sluice` binary. Swift has no ServiceLoader, so the list is explicit: a new
/// connector, converter or transform is added here.
public enum BuiltinPlugins {
    public static let all: [PluginDescriptor] =
        ConverterPlugins.all + SchemaRegistryPlugins.all + TransformPlugins.all + FileStreamPlugins.all + SpoolDirPlugins.all
        + JDBCSinkPlugins.all + JDBCSourcePlugins.all + ElasticsearchPlugins.all + [PostgresConnector.descriptor]
}
