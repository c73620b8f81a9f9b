"""Writes items into a DynamoDB table exactly as the old Python service did (boto3
`Table.put_item` of id, name, description and a naive UTC ISO time), and prints their ids as
a JSON list. Usage: old_service_items.py ENDPOINT TABLE COUNT"""
import json
import sys
import uuid
from datetime import datetime, timedelta

import boto3

endpoint, table_name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
table = boto3.resource(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="old-service",
    aws_secret_access_key="old-service",
).Table(table_name)
ids = []
start = datetime(2025, 11, 26, 10, 11, 12, 123456)
for i in range(count):
    item_id = str(uuid.uuid4())
    table.put_item(
        Item={
            "id": item_id,
            "name": f"Old item {i}",
            "description": "written by the Python service",
            "created_at": (start + timedelta(minutes=i)).isoformat(),
        }
    )
    ids.append(item_id)
print(json.dumps(ids))
