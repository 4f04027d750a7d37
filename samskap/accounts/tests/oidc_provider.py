"""A real OpenID Connect provider on loopback for the tests, built with pyop.

It serves discovery, the authorization endpoint (which signs in ``provider.person`` at once,
as if they had typed their password there), the token endpoint, userinfo and the JWKS over
HTTPS on 127.0.0.1 (a certificate made for the test; the relying party trusts it through
``REQUESTS_CA_BUNDLE``), so the relying party makes the same calls as against a real one.
"""

import datetime
import ipaddress
import json
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from Cryptodome.PublicKey import RSA
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import InvalidAuthenticationRequest
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

CLIENT_ID = "samskap-test"
CLIENT_SECRET = "not-a-real-secret-but-long-enough"  # noqa: S105


def _certificate(folder: str) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = f"{folder}/cert.pem", f"{folder}/key.pem"
    with open(cert_file, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return cert_file, key_file


class LoopbackProvider:
    def __init__(self, redirect_uri: str, folder: str) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.ca_file, key_file = _certificate(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file, key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.issuer = f"https://127.0.0.1:{self.server.server_port}"
        self.people: dict[str, dict] = {}
        self.person: str | None = None  # who signs in at the next authorization request
        self.requests: list[str] = []  # the paths the relying party called
        key = RSAKey(key=RSA.generate(2048), alg="RS256", kid="test-key-1")
        self.provider = Provider(
            key,
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "userinfo_endpoint": self.issuer + "/userinfo",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
            },
            AuthorizationState(HashBasedSubjectIdentifierFactory("salt")),
            {
                CLIENT_ID: {
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [redirect_uri],
                    "response_types": ["code"],
                    "token_endpoint_auth_method": "client_secret_post",
                }
            },
            Userinfo(self.people),
        )

    def add_person(self, key: str, **claims) -> None:
        self.people[key] = {"sub": f"sub-{key}", **claims}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: str = "", headers: dict | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {"Content-Type": "application/json"}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                outer.requests.append(url.path)
                provider = outer.provider
                if url.path == "/.well-known/openid-configuration":
                    self._send(200, provider.provider_configuration.to_json())
                elif url.path == "/jwks":
                    self._send(200, json.dumps(provider.jwks))
                elif url.path == "/authorize":
                    try:
                        request = provider.parse_authentication_request(url.query)
                    except InvalidAuthenticationRequest as error:
                        self._send(400, json.dumps({"error": str(error)}))
                        return
                    response = provider.authorize(request, outer.person)
                    location = response.request(request["redirect_uri"], False)
                    self._send(302, headers={"Location": location})
                elif url.path == "/userinfo":
                    response = provider.handle_userinfo_request(
                        None, http_headers={"Authorization": self.headers["Authorization"]}
                    )
                    self._send(200, response.to_json())
                else:
                    self._send(404, "{}")

            def do_POST(self) -> None:
                outer.requests.append(self.path)
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                if self.path != "/token":
                    self._send(404, "{}")
                    return
                response = outer.provider.handle_token_request(body, dict(self.headers))
                self._send(200, response.to_json())

        return Handler


@contextmanager
def loopback_provider(redirect_uri: str) -> Iterator[LoopbackProvider]:
    with tempfile.TemporaryDirectory() as folder:
        op = LoopbackProvider(redirect_uri, folder)
        thread = threading.Thread(target=op.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield op
        finally:
            op.server.shutdown()
            op.server.server_close()
            thread.join(timeout=5)
