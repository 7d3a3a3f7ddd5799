// The parts of js-yaml that parse/yaml.ts uses, and nothing else: parse/yaml.ts imports this module with
// import(), and a namespace reached that way keeps every export it has. Re-exporting only the reader
// leaves js-yaml's writer out of the bundle's YAML chunk.
export {
  CORE_SCHEMA,
  EVENT_ID,
  NOT_RESOLVED,
  SCALAR_STYLE,
  YAMLException,
  constructFromEvents,
  floatCoreTag,
  getScalarValue,
  intCoreTag,
  parseEvents,
} from 'js-yaml';
