"""Print where the locally running platform answers (called by ``make up``)."""

from mubayiro.common.settings import DEV_PORTS

BANNER = """
Mubayiro is starting. Through the dev gateway (TLS with a local CA):
  https://localhost:8443/               customer portal
  https://localhost:8443/admin/         admin app for businesses
  https://localhost:8443/readyz         readiness of every service
  https://localhost:8443/docs/<service> OpenAPI docs (auth, loyalty, notifications,
                                        referrals, reports)
  http://localhost:8080/                redirects to HTTPS
CA certificate (for curl --cacert): data/gateway/ca.pem  (created on first start)
Services directly (development only):"""

if __name__ == "__main__":
    print(BANNER)
    for name in ("auth", "loyalty", "notifications", "referrals", "reports"):
        print(f"  {name:14} http://127.0.0.1:{DEV_PORTS[name]}/docs/{name}")
    print()
