#!/bin/bash
# Creates the pipeline's topics on the compose Kafka. Partition counts: see README, "Topics".
set -euo pipefail
bin=/opt/kafka/bin
for spec in metrics:12 metrics-deadletter:3 scaling-commands:3 alerts:3 cost-alerts:3; do
  topic=${spec%%:*}; partitions=${spec##*:}
  "$bin/kafka-topics.sh" --bootstrap-server kafka:9092 --create --if-not-exists --topic "$topic" --partitions "$partitions" --replication-factor 1
done
