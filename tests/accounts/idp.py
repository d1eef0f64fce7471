"""Small local identity providers for the SSO tests, on stdlib http.server in a thread:

* an OpenID Connect provider (authorization code flow): /authorize approves the identity the
  test chose and redirects back with a code; /token checks the client's secret and the code and
  returns an access token and an RS256-signed id_token (its key published at /jwks); /userinfo
  answers the claims for the access token;
* a CAS 3 server: /cas/login redirects back to the service with a ticket; /cas/p3/serviceValidate
  checks ticket and service and answers the CAS XML with the identity's attributes.

The client libraries (mozilla-django-oidc, django-cas-ng) talk to them over real HTTP.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID, CLIENT_SECRET = "campusplan", "s3cret-of-the-client"
KID = "test-key-1"


@dataclass
class Provider:
    """Both providers' state: who signs in next, and the codes and tickets handed out."""

    identity: dict = field(default_factory=dict)  # sub/user and claims/attributes
    codes: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    tickets: dict = field(default_factory=dict)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    url: str = ""
    calls: list = field(default_factory=list)

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [jwk | {"kid": KID, "alg": "RS256", "use": "sig"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "sub": self.identity["sub"], "aud": CLIENT_ID, "iat": now,
                  "exp": now + 300, "nonce": nonce}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KID})


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", kind: str = "application/json",
                  location: str = ""):
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, data, status: int = 200):
            self._send(status, json.dumps(data).encode())

        def do_GET(self):
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            provider.calls.append(url.path)
            if url.path == "/authorize":
                if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
                    return self._send(400)
                code = secrets.token_urlsafe(16)
                provider.codes[code] = (q.get("nonce", ""), q["redirect_uri"])
                back = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
                return self._send(302, location=back)
            if url.path == "/jwks":
                return self._json(provider.jwks())
            if url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token not in provider.tokens:
                    return self._send(401)
                return self._json(provider.tokens[token])
            if url.path == "/cas/login":
                ticket = f"ST-{secrets.token_urlsafe(12)}"
                provider.tickets[ticket] = q["service"]
                sep = "&" if "?" in q["service"] else "?"
                return self._send(302, location=f"{q['service']}{sep}ticket={ticket}")
            if url.path == "/cas/p3/serviceValidate":
                return self._cas_validate(q)
            return self._send(404)

        def _cas_validate(self, q):
            service = provider.tickets.pop(q.get("ticket", ""), None)
            if service is None or service != q.get("service"):
                body = ('<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">'
                        '<cas:authenticationFailure code="INVALID_TICKET">no</cas:'
                        'authenticationFailure></cas:serviceResponse>')
                return self._send(200, body.encode(), "text/xml")
            attrs = "".join(f"<cas:{k}>{escape(str(v))}</cas:{k}>"
                            for k, v in provider.identity["attributes"].items())
            body = ('<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">'
                    f"<cas:authenticationSuccess><cas:user>{escape(provider.identity['user'])}"
                    f"</cas:user><cas:attributes>{attrs}</cas:attributes>"
                    "</cas:authenticationSuccess></cas:serviceResponse>")
            return self._send(200, body.encode(), "text/xml")

        def do_POST(self):
            provider.calls.append(self.path)
            if self.path != "/token":
                return self._send(404)
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
                return self._json({"error": "invalid_client"}, 401)
            nonce, redirect_uri = provider.codes.pop(form.get("code", ""), (None, None))
            if redirect_uri is None or redirect_uri != form.get("redirect_uri"):
                return self._json({"error": "invalid_grant"}, 400)
            access = secrets.token_urlsafe(16)
            provider.tokens[access] = {"sub": provider.identity["sub"]} | provider.identity[
                "claims"]
            return self._json({"access_token": access, "token_type": "Bearer",
                               "expires_in": 300, "id_token": provider.id_token(nonce)})

    return Handler


def start() -> tuple[Provider, callable]:
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return provider, stop
