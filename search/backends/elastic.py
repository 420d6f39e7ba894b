"""Elasticsearch through elasticsearch-dsl, for search at scale."""

from elasticsearch import Elasticsearch


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url):
        self.url = url
        self.client = Elasticsearch(url, request_timeout=5, retry_on_timeout=False, max_retries=0)

    def health(self):
        info = self.client.cluster.health(timeout="2s")
        if info.get("status") == "red":
            return "cluster status is red"
        return None
