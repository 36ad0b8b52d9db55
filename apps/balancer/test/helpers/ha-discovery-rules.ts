/**
 * Home Assistant's MQTT discovery rules (homeassistant/components/mqtt: discovery.py,
 * abbreviations.py, schemas.py, sensor.py; sensor/const.py), written for the tests from those
 * rules and not from our publisher, for the component types we publish:
 *
 * - topic `<prefix>/<component>/[<node_id>/]<object_id>/config`, ids of `[a-zA-Z0-9_-]`;
 * - the payload is a JSON object (an empty payload removes the entity); abbreviated keys are
 *   expanded first (top level, `device`, `origin`), and `~` in a `*_topic` stands for the base topic;
 * - keys outside the component's schema are dropped by Home Assistant, which is a bug here;
 * - `object_id` is deprecated since 2025.10 and ignored from 2026.4: `default_entity_id`
 *   (`<component>.<object id>`, lower-case letters, digits, `_`, no `_` at either end) replaces it;
 * - `availability_topic` and `availability` exclude each other; topics are valid subscriptions;
 * - `device` needs `identifiers` or `connections`; `origin` needs `name`;
 * - a sensor needs `state_topic`; its device class, state class and unit must fit together
 *   (the pairs below are Home Assistant's for the device classes they list; any other device
 *   class is refused until it is added here); `options` only for `enum`; `last_reset_value_template`
 *   only with state class `total`;
 * - a numeric sensor (unit, state class or numeric device class) must render a number or `None`;
 *   others at most 255 characters.
 */

const ABBREVIATIONS: Record<string, string> = {
  avty: 'availability',
  avty_mode: 'availability_mode',
  avty_t: 'availability_topic',
  avty_tpl: 'availability_template',
  def_ent_id: 'default_entity_id',
  dev: 'device',
  dev_cla: 'device_class',
  e: 'encoding',
  en: 'enabled_by_default',
  ent_cat: 'entity_category',
  ent_pic: 'entity_picture',
  exp_aft: 'expire_after',
  frc_upd: 'force_update',
  ic: 'icon',
  json_attr_t: 'json_attributes_topic',
  json_attr_tpl: 'json_attributes_template',
  lrst_val_tpl: 'last_reset_value_template',
  o: 'origin',
  obj_id: 'object_id',
  ops: 'options',
  pl_avail: 'payload_available',
  pl_not_avail: 'payload_not_available',
  stat_cla: 'state_class',
  stat_t: 'state_topic',
  sug_dsp_prc: 'suggested_display_precision',
  uniq_id: 'unique_id',
  unit_of_meas: 'unit_of_measurement',
  val_tpl: 'value_template',
};
const DEVICE_ABBREVIATIONS: Record<string, string> = {
  cns: 'connections',
  cu: 'configuration_url',
  hw: 'hw_version',
  ids: 'identifiers',
  mdl: 'model',
  mdl_id: 'model_id',
  mf: 'manufacturer',
  sa: 'suggested_area',
  sn: 'serial_number',
  sw: 'sw_version',
  via_device: 'via_device',
};
const ORIGIN_ABBREVIATIONS: Record<string, string> = { sw: 'sw_version', url: 'support_url' };

const COMMON_KEYS = [
  'availability',
  'availability_mode',
  'availability_template',
  'availability_topic',
  'payload_available',
  'payload_not_available',
  'default_entity_id',
  'device',
  'enabled_by_default',
  'encoding',
  'entity_category',
  'entity_picture',
  'icon',
  'json_attributes_template',
  'json_attributes_topic',
  'name',
  'object_id',
  'origin',
  'qos',
  'unique_id',
];
const SENSOR_KEYS = [
  'device_class',
  'expire_after',
  'force_update',
  'last_reset_value_template',
  'options',
  'state_class',
  'state_topic',
  'suggested_display_precision',
  'unit_of_measurement',
  'value_template',
];
const DEVICE_KEYS = [
  'configuration_url',
  'connections',
  'hw_version',
  'identifiers',
  'manufacturer',
  'model',
  'model_id',
  'name',
  'serial_number',
  'suggested_area',
  'sw_version',
  'via_device',
];

const STATE_CLASSES = ['measurement', 'measurement_angle', 'total', 'total_increasing'];

/** Device class → [allowed units, allowed state classes]; `null` unit = none. */
const SENSOR_DEVICE_CLASSES: Record<string, [(string | null)[], string[]]> = {
  current: [['A', 'mA'], ['measurement']],
  voltage: [['V', 'mV', 'µV', 'kV', 'MV'], ['measurement']],
  power: [['mW', 'W', 'kW', 'MW', 'GW', 'TW', 'BTU/h'], ['measurement']],
  energy: [
    ['mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'J', 'kJ', 'MJ', 'GJ', 'cal', 'kcal', 'Mcal', 'Gcal'],
    ['total', 'total_increasing'],
  ],
  duration: [
    ['d', 'h', 'min', 's', 'ms', 'µs'],
    ['measurement', 'total', 'total_increasing'],
  ],
  enum: [[null], []],
  timestamp: [[null], []],
};
const NON_NUMERIC_DEVICE_CLASSES = ['date', 'enum', 'timestamp'];

const COMPONENTS: Record<string, string[]> = { sensor: [...COMMON_KEYS, ...SENSOR_KEYS] };

const TOPIC_ID = /^[a-zA-Z0-9_-]+$/;
const OBJECT_ID = /^(?!_)[\da-z_]+(?<!_)$/;

function expand(source: Record<string, unknown>, table: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [table[k] ?? k, v]));
}

function validSubscribeTopic(topic: unknown): boolean {
  if (typeof topic !== 'string' || topic.length === 0 || topic.includes('\0')) return false;
  const levels = topic.split('/');
  return levels.every(
    (level, i) =>
      (!level.includes('#') || (level === '#' && i === levels.length - 1)) && (!level.includes('+') || level === '+'),
  );
}

export interface Discovered {
  component: string;
  config: Record<string, unknown>;
}

/** One discovery message → its problems (empty: Home Assistant accepts it as it is). */
export function discoveryProblems(
  topic: string,
  payload: string,
  prefix = 'homeassistant',
): { problems: string[]; discovered?: Discovered } {
  const problems: string[] = [];
  const parts = topic.split('/');
  const component = parts[1] ?? '';
  const ids = parts.slice(2, -1);
  if (parts[0] !== prefix || parts.at(-1) !== 'config' || ids.length < 1 || ids.length > 2) {
    return { problems: [`${topic}: not <prefix>/<component>/[<node_id>/]<object_id>/config`] };
  }
  if (!ids.every((id) => TOPIC_ID.test(id))) problems.push(`${topic}: node or object id outside [a-zA-Z0-9_-]`);
  const allowed = COMPONENTS[component];
  if (!allowed)
    return { problems: [...problems, `${topic}: component '${component}' is not one this validator knows`] };
  if (payload === '') return { problems };
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return { problems: [...problems, `${topic}: payload is not JSON`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { problems: [...problems, `${topic}: payload is not an object`] };

  const config = expand(raw as Record<string, unknown>, ABBREVIATIONS);
  const base = config['~'];
  delete config['~'];
  for (const [k, v] of Object.entries(config)) {
    if (typeof base === 'string' && k.endsWith('_topic') && typeof v === 'string') {
      config[k] = v.startsWith('~') ? base + v.slice(1) : v.endsWith('~') ? v.slice(0, -1) + base : v;
    }
  }
  const at = (key: string) => `${topic}: ${key}`;
  for (const key of Object.keys(config))
    if (!allowed.includes(key)) problems.push(at(`'${key}' is not a ${component} option`));

  if ('object_id' in config)
    problems.push(at("'object_id' is deprecated (2025.10, gone in 2026.4): use 'default_entity_id'"));
  if ('default_entity_id' in config) {
    const id = String(config.default_entity_id);
    const [domain, objectId, extra] = id.split('.');
    if (domain !== component || extra !== undefined || !OBJECT_ID.test(objectId ?? '')) {
      problems.push(at(`default_entity_id '${id}' is not ${component}.<lower-case object id>`));
    }
  }
  if (typeof config.unique_id !== 'string' || config.unique_id === '') problems.push(at('unique_id missing'));
  if ('availability_topic' in config && 'availability' in config)
    problems.push(at('availability_topic and availability exclude each other'));
  for (const key of ['availability_topic', 'state_topic', 'json_attributes_topic']) {
    if (key in config && !validSubscribeTopic(config[key])) problems.push(at(`${key} is not a valid topic`));
  }
  if ('name' in config && config.name !== null && typeof config.name !== 'string')
    problems.push(at('name must be a string or null'));
  if ('entity_category' in config && !['config', 'diagnostic'].includes(config.entity_category as string)) {
    problems.push(at(`entity_category '${config.entity_category}' is not config or diagnostic`));
  }
  if ('device' in config) {
    const device = expand((config.device ?? {}) as Record<string, unknown>, DEVICE_ABBREVIATIONS);
    for (const key of Object.keys(device))
      if (!DEVICE_KEYS.includes(key)) problems.push(at(`device.${key} is not a device option`));
    const ids = device.identifiers;
    const hasIds =
      (typeof ids === 'string' && ids !== '') ||
      (Array.isArray(ids) && ids.length > 0 && ids.every((i) => typeof i === 'string'));
    const hasConnections = Array.isArray(device.connections) && device.connections.length > 0;
    if (!hasIds && !hasConnections) problems.push(at('device needs identifiers or connections'));
    for (const key of DEVICE_KEYS.filter((k) => k !== 'identifiers' && k !== 'connections')) {
      if (key in device && typeof device[key] !== 'string') problems.push(at(`device.${key} must be a string`));
    }
    config.device = device;
  }
  if ('origin' in config) {
    const origin = expand((config.origin ?? {}) as Record<string, unknown>, ORIGIN_ABBREVIATIONS);
    if (typeof origin.name !== 'string') problems.push(at('origin.name is required'));
    config.origin = origin;
  }
  if (component === 'sensor') problems.push(...sensorProblems(config).map(at));
  return { problems, discovered: { component, config } };
}

function sensorProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof config.state_topic !== 'string') problems.push('state_topic missing');
  const deviceClass = config.device_class as string | undefined;
  const stateClass = config.state_class as string | undefined;
  const unit = config.unit_of_measurement as string | undefined;
  if (stateClass !== undefined && !STATE_CLASSES.includes(stateClass))
    problems.push(`state_class '${stateClass}' is unknown`);
  if (deviceClass !== undefined) {
    const rule = SENSOR_DEVICE_CLASSES[deviceClass];
    if (!rule) problems.push(`device_class '${deviceClass}' is not one this validator knows`);
    else {
      const [units, stateClasses] = rule;
      if (!units.includes(unit ?? null)) problems.push(`unit '${unit}' does not fit device_class '${deviceClass}'`);
      if (stateClass !== undefined && !stateClasses.includes(stateClass)) {
        problems.push(`state_class '${stateClass}' is impossible for device_class '${deviceClass}'`);
      }
    }
  }
  if ('last_reset_value_template' in config && stateClass !== 'total')
    problems.push('last_reset_value_template needs state_class total');
  if ('options' in config) {
    const options = config.options;
    if (!Array.isArray(options) || options.length === 0) problems.push('options must be a non-empty list');
    if (stateClass || unit) problems.push('options cannot go with state_class or unit_of_measurement');
    if (deviceClass !== 'enum') problems.push('options need device_class enum');
  }
  return problems;
}

/** Whether Home Assistant expects a number from this sensor. */
export function isNumericSensor(config: Record<string, unknown>): boolean {
  const deviceClass = config.device_class as string | undefined;
  if (deviceClass && NON_NUMERIC_DEVICE_CLASSES.includes(deviceClass)) return false;
  return config.unit_of_measurement !== undefined || config.state_class !== undefined || deviceClass !== undefined;
}

/**
 * The state a sensor shows for a state message, for the one template form this validator renders
 * (`{{ value_json.<key> }}`): JSON null renders as Python's `None`, which Home Assistant reads as
 * unknown. Returns the problem, or null.
 */
export function stateProblem(config: Record<string, unknown>, statePayload: string): string | null {
  const m = /^\{\{ value_json\.([A-Za-z0-9_]+) \}\}$/.exec(String(config.value_template ?? ''));
  if (!m) return `value_template ${JSON.stringify(config.value_template)} is not a form this validator renders`;
  const value = (JSON.parse(statePayload) as Record<string, unknown>)[m[1] as string];
  if (value === undefined) return `value_json.${m[1]} is not in the state message`;
  const rendered = value === null ? 'None' : String(value);
  if (isNumericSensor(config)) {
    if (rendered !== 'None' && !Number.isFinite(Number(rendered))) return `numeric sensor renders '${rendered}'`;
  } else if (rendered.length > 255) return 'state longer than 255 characters';
  return null;
}
