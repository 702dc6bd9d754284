"""The signing vectors (tests/data/vendor/vectors), through the Python sign functions."""

import json
from urllib.parse import parse_qsl

import wabakit


def test_nxcloud_vectors(vendor):
    doc = vendor("vectors/nxcloud_sign.json")
    assert len(doc["vectors"]) == 19
    for v in doc["vectors"]:
        i = v["inputs"]
        body = None if v["content_type"] == "multipart/form-data" else i["body_raw"]
        out = wabakit.nxcloud.sign(i["accessKey"], i["accessSecret"], i["ts"], i["bizType"], i["action"], body, i["algorithm"])
        assert out["string_to_sign"] == v["expected"]["string_to_sign"], v["id"]
        assert out["sign"] == v["expected"]["sign"], v["id"]


def test_alibaba_vectors(vendor):
    doc = vendor("vectors/alibaba_requests.json")
    for c in doc["cases"]:
        cap, s, secret = c["captured"], c["signing"], c["inputs"]["access_key_secret"]
        query = parse_qsl(cap["query_string"], keep_blank_values=True)
        headers = [(k, v) for k, v in cap["headers"]]
        host = dict((k.lower(), v) for k, v in headers)["host"]
        if any(k == "Authorization" for k, _ in headers):
            out = wabakit.alibaba.sign_v3(
                cap["method"], host, query, headers, cap["body"], c["inputs"]["access_key_id"], secret, s["signed_headers"].split(";")
            )
            assert out["canonical_request"] == s["canonical_request"], c["name"]
            assert out["authorization"] == s["authorization"], c["name"]
        else:
            params = query + parse_qsl(cap["body"], keep_blank_values=True)
            out = wabakit.alibaba.sign_v1(cap["method"], params, secret)
            assert out["string_to_sign"] == s["string_to_sign"], c["name"]
            assert out["signature"] == s["signature"], c["name"]


def test_official_v1_example():
    params = {
        "AccessKeyId": "testid", "Action": "DescribeDedicatedHosts", "Format": "JSON", "RegionId": "cn-beijing",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "edb2b34af0af9a6d14deaf7c1a5315eb", "SignatureVersion": "1.0",
        "Timestamp": "2023-03-13T08:34:30Z", "Version": "2014-05-26",
    }
    assert wabakit.alibaba.sign_v1("GET", params, "testsecret")["signature"] == "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
