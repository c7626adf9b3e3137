/**
 * Why a TLS connection to the sync server failed, for the seat's status line (Chinese first, the
 * TLS error code last so IT can look it up). null: not a certificate problem.
 */
const REASONS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: '同步服务器的证书不是由受信任的工厂 CA 签发的',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: '同步服务器的证书不是由受信任的工厂 CA 签发的',
  UNABLE_TO_GET_ISSUER_CERT: '同步服务器的证书不是由受信任的工厂 CA 签发的',
  SELF_SIGNED_CERT_IN_CHAIN: '同步服务器的证书链来自一个未受信任的 CA',
  DEPTH_ZERO_SELF_SIGNED_CERT: '同步服务器使用的是自签名证书',
  CERT_HAS_EXPIRED: '同步服务器的证书已过期',
  CERT_NOT_YET_VALID: '同步服务器的证书尚未生效（请检查本机时间）',
  ERR_TLS_CERT_ALTNAME_INVALID: '同步服务器的证书与所连接的地址不符',
  CERT_REVOKED: '同步服务器的证书已被吊销',
  CERT_SIGNATURE_FAILURE: '同步服务器的证书签名无效',
};

export function tlsProblem(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const reason = REASONS[code] ?? (/CERT|TLS|SSL/.test(code) ? '与同步服务器的 TLS 握手失败' : null);
  return reason ? `${reason}，已拒绝同步（请确认本机已配置工厂 CA 证书）[${code}]` : null;
}
