/** Sparkplug B host: feed it every message whose topic starts with `spBv1.0/`. */
export {
	SparkplugHost,
	DEFAULT_SPARKPLUG_LIMITS,
	REBIRTH_METRIC,
	type SparkplugHostLimits,
	type SparkplugMetricUpdate,
	type SparkplugNodeStatus,
	type SparkplugOutcome
} from './host.js';
export { isSparkplugTopic, parseSparkplugTopic } from './topic.js';
