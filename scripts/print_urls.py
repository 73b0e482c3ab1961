"""Print where the locally running platform answers (called by ``make up``)."""

from mubayiro.common.settings import DEV_PORTS
from mubayiro.gateway.config import GatewaySettings

BANNER = """
Mubayiro is starting. Through Traefik (TLS with a local CA):
  {base}/               customer portal
  {base}/admin/         admin app for businesses
  {base}/readyz         readiness of every service
  {base}/docs/<service> OpenAPI docs of each service below
  http://{host}:{http_port}/                redirects to HTTPS
CA certificate (for curl --cacert): {ca}  (created on first start)
Traefik's access log: {access_log}
Services directly (development only):"""

if __name__ == "__main__":
    settings = GatewaySettings()
    print(BANNER.format(base=settings.base_url, host=settings.public_host,
                        http_port=settings.http_port, ca=settings.cert_dir / "ca.pem",
                        access_log=settings.gateway_dir / "access.log"))
    for name in settings.upstreams:
        print(f"  {name:14} http://127.0.0.1:{DEV_PORTS[name]}/docs/{name}")
    print()
