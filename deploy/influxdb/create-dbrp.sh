#!/bin/bash
# InfluxDB 2 init hook: InfluxQL (which the Grafana dashboards use) reads buckets through a DBRP mapping.
set -euo pipefail
bucket_id=$(influx bucket list --name "${DOCKER_INFLUXDB_INIT_BUCKET}" --hide-headers | awk '{print $1}')
influx v1 dbrp create --db metrics --rp autogen --bucket-id "$bucket_id" --default
