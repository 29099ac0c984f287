#!/usr/bin/env python3
"""Generates fixtures/credfiles/: a labelled corpus of credential files as tools really write them
(FTP clients, database tools, mail/VPN/Wi-Fi, OS and password managers, package managers, cloud
CLIs, CI/config management, web frameworks), each at the path where the tool puts it, plus clean
look-alikes (templates, docs, env references, vault/sops-encrypted values, hashes, public keys,
CSRF tokens, password policies...).

Every credential is invented here from a fixed seed, in the real shape of its kind. Writes into
the directory given as argv[1] (emptied first):

  truth.tsv  path<TAB>line<TAB>family<TAB>encoding   one line per secret (1-based line where the
             secret value starts; a PEM key: its BEGIN line); encoding is `-`, `base64`,
             `percent` or `json-escape` when the value is stored encoded
  files.tsv  path<TAB>family<TAB>clean|secret         one line per corpus file

What is labelled a secret: passwords, tokens, API and private keys, session/refresh tokens, TOTP
seeds, framework signing keys and salts (WordPress keys, Django SECRET_KEY, machineKey...);
password hashes (shadow, htpasswd, pgbouncer, jbcrypt...); values encrypted or obfuscated with a
key that is public or stored beside them (Jenkins {AQAAAB...}, Maven {...}, GPP cpassword,
WinSCP/HeidiSQL/Navicat/mRemoteNG/MobaXterm/rclone obscuring, DPAPI blobs, Firefox
encryptedPassword); provider-prefixed access key IDs (AKIA/ASIA, LTAI, GOOG1E, SCW, DO00), as in
fixtures/accuracy. Not secrets: values encrypted for committing (ansible-vault, sops, eyaml,
SealedSecret, credentials.yml.enc, Bitwarden encrypted export), key identifiers
(private_key_id, fingerprints), public keys, certificates, CSRF tokens, hashes of files.

Usage: bench/credfiles-corpus.py fixtures/credfiles
Python 3.11, standard library only. Templates mark each secret with S(value, encoding); the
writer strips the marks and records the line. At most one secret per line (asserted).
"""
import base64, hashlib, json, os, shutil, string, struct, sys, urllib.parse
import random

R = random.Random(0x5EC12E75)
FAMILIES = ('ftp', 'database', 'messaging', 'os', 'packages', 'cloud', 'ci', 'framework')
ENCODINGS = ('-', 'base64', 'percent', 'json-escape')
OPEN, MID, CLOSE = '\ue000', '\ue001', '\ue002'
FILES = []          # (path, family, expect_secret, text, crlf, final_newline, bom)


def S(value, enc='-'):
    """Marks a secret value (already in its stored form) for truth.tsv."""
    assert enc in ENCODINGS, enc
    return f'{OPEN}{enc}{MID}{value}{CLOSE}'


def _add(path, family, text, secret, crlf=False, final_newline=True, bom=False):
    assert family in FAMILIES, family
    assert not any(p == path for p, *_ in FILES), f'duplicate path {path}'
    if text.startswith('\n'):
        text = text[1:]
    FILES.append((path, family, secret, text, crlf, final_newline, bom))


def leak(path, family, text, **kw):
    assert OPEN in text, f'{path}: a leak file without a marked secret'
    _add(path, family, text, True, **kw)


def clean(path, family, text, **kw):
    assert OPEN not in text, f'{path}: a clean file with a marked secret'
    _add(path, family, text, False, **kw)


# ------------------------------------------------------------------ random values
LOW, UP, DIG = string.ascii_lowercase, string.ascii_uppercase, string.digits
AL = LOW + UP + DIG
HEXD = '0123456789abcdef'
CRYPT64 = './' + DIG + UP + LOW


def rs(n, alpha=AL):
    return ''.join(R.choice(alpha) for _ in range(n))


def hexs(n):
    return rs(n, HEXD)


def HEX(n):
    return rs(n, HEXD.upper())


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def b64url_nopad(data):
    return base64.urlsafe_b64encode(data).decode().rstrip('=')


def b64rand(nbytes):
    return b64(rbytes(nbytes))


def uid():
    h = hexs(32)
    return f'{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice("89ab")}{h[17:20]}-{h[20:32]}'


def digits(n):
    return R.choice('123456789') + rs(n - 1, DIG)


def pick(seq):
    return R.choice(seq)


# ------------------------------------------------------------------ passwords
# Weak, human passwords: the brief's examples first, then generated ones in the same styles.
WEAK_FIXED = ['summer2019!', 'Welcome1', 'admin123', 'Pr0dDbPass', 'MySecret2020', 'jenkins', 'qwerty77']
WEAK_WORDS = ['summer', 'winter', 'spring', 'autumn', 'welcome', 'admin', 'dragon', 'monkey', 'letmein',
              'qwerty', 'sunshine', 'football', 'shadow', 'master', 'tomcat', 'oracle', 'postgres', 'backup',
              'deploy', 'london', 'berlin', 'chelsea', 'liverpool', 'mustang', 'pepper', 'ginger', 'buster',
              'tigger', 'hunter', 'ranger', 'orange', 'coffee', 'hockey', 'soccer', 'charlie', 'freedom',
              'matrix', 'office', 'server', 'support', 'service', 'marketing', 'finance', 'manager', 'acme',
              'contoso', 'globex', 'initech', 'webmaster', 'falcon', 'phoenix', 'rocket', 'kitten', 'bailey',
              'maggie', 'jordan', 'thomas', 'robert', 'daniel', 'andrea', 'ferrari', 'yankees', 'access']
SEASONS = ['Summer', 'Winter', 'Spring', 'Autumn', 'Fall']
SYMS = '!*+-_.^~@'
_weak_i = 0


def leet(w):
    table = {'a': '4', 'e': '3', 'i': '1', 'o': '0', 's': '5'}
    return ''.join(table.get(c, c) if R.random() < 0.5 else c for c in w)


def weak():
    global _weak_i
    if _weak_i < len(WEAK_FIXED):
        _weak_i += 1
        return WEAK_FIXED[_weak_i - 1]
    w = pick(WEAK_WORDS)
    year = str(R.randint(2012, 2025))
    k = R.randrange(12)
    if k == 0:
        return pick(SEASONS) + year + pick('!#.') if R.random() < 0.7 else pick(SEASONS).lower() + year
    if k == 1:
        return 'Welcome' + pick(['1', '123', '@' + year, year + '!', '!'])
    if k == 2:
        return w + pick(['123', '1234', '1', '01', '2024', '!'])
    if k == 3:
        env = pick(['Prod', 'Stg', 'Dev', 'Live', 'Main'])
        svc = pick(['Db', 'Sql', 'Ftp', 'Mail', 'Web', 'App', 'Api'])
        return leet(env) + svc + pick(['Pass', 'Pw', 'Pwd', 'Key']) + pick(['', '1', '!', year[-2:]])
    if k == 4:
        return 'My' + w.capitalize() + year
    if k == 5:
        return w
    if k == 6:
        return w + str(R.randint(10, 99))
    if k == 7:
        return w.capitalize() + year + pick('!#.@')
    if k == 8:
        return pick(['1qaz2wsx', 'zaq12wsx', 'Qwerty123!', 'asdf1234', '1q2w3e4r', 'Passw0rd!', 'P@ssw0rd1', 'Abcd1234'])
    if k == 9:
        return leet(w.capitalize()) + pick(['!', '#1', '99', '2k' + year[-2:]])
    if k == 10:
        return w.capitalize() + pick(['@', '#', '_']) + str(R.randint(100, 9999))
    return pick(['thomas', 'michael', 'jessica', 'daniel', 'sarah', 'anna', 'lukas', 'marie']) + str(R.randint(1960, 2005))


PRON = ['ba', 'ke', 'lo', 'mi', 'ru', 'ta', 'vo', 'zi', 'ch', 'ea', 'oo', 'ph', 'ie', 'ah', 'th', 'ee', 'ai', 'ou']


def strong():
    k = R.randrange(7)
    if k == 0:      # password-manager style, letters digits symbols
        return R.choice(AL) + rs(R.randint(15, 23), AL + AL + SYMS)
    if k == 1:      # long alphanumeric
        return rs(R.randint(20, 32))
    if k == 2:      # pwgen: pronounceable 8-12 with a digit and capital
        v = ''.join(pick(PRON) for _ in range(R.randint(4, 6)))
        i = R.randrange(1, len(v))
        v = v[:i] + R.choice(DIG) + v[i:]
        return v[0].upper() + v[1:]
    if k == 3:      # openssl rand -base64 18/24
        v = b64rand(pick([18, 24]))
        return v if v[0].isalnum() else 'k' + v[1:]
    if k == 4:      # openssl rand -hex 16
        return hexs(32)
    if k == 5:      # passphrase
        words = ['granite', 'otter', 'lantern', 'copper', 'meadow', 'violet', 'harbor', 'tundra', 'quartz',
                 'saffron', 'pylon', 'walnut', 'ember', 'glacier', 'marble', 'falcon', 'orchid', 'cobalt']
        return '-'.join(R.sample(words, 4)) + str(R.randint(1, 99))
    return R.choice(UP) + rs(11, LOW + DIG) + R.choice(SYMS) + R.choice(DIG)


def pw():
    return weak() if R.random() < 0.45 else strong()


def url_pw():
    """A password that needs percent-encoding in a URL: (raw, stored)."""
    base = pick([weak, strong])()
    raw = base[:R.randint(2, max(2, len(base) - 2))] + pick(['@', '#', '@', '%', '/', ':']) + base[len(base) // 2:]
    raw = raw.replace('%%', '%')
    if not raw[0].isalnum():
        raw = 'p' + raw
    return raw, urllib.parse.quote(raw, safe='')


def alnum_pw():
    while True:
        v = pw()
        if v.isalnum():
            return v


# ------------------------------------------------------------------ tokens in provider shape
def akia(): return 'AKIA' + rs(16, UP + '234567')
def asia(): return 'ASIA' + rs(16, UP + '234567')
def aws_secret(): return rs(40, AL + AL + '+/')
def aws_session(): return 'IQoJb3JpZ2luX2VjE' + rs(R.randint(360, 420), AL + '+/') + '=='
def ghp(): return 'ghp_' + rs(36)
def gho(): return 'gho_' + rs(36)
def github_pat(): return 'github_pat_11' + rs(20, UP + DIG) + '_' + rs(59)
def glpat(): return 'glpat-' + rs(20, AL + '-_')
def glrt(): return 'glrt-' + rs(20, AL + '-_')
def npm_tok(): return 'npm_' + rs(36)
def pypi_tok(): return 'pypi-AgEIcHlwaS5vcmc' + rs(R.randint(150, 190), AL + '-_')
def rubygems(): return 'rubygems_' + hexs(48)
def nuget_key(): return 'oy2' + rs(43, LOW + DIG)
def cio(): return 'cio' + rs(32)
def dckr(): return 'dckr_pat_' + rs(27, AL + '-_')
def tfc(): return rs(14) + '.atlasv1.' + rs(67)
def dop(): return 'dop_v1_' + hexs(64)
def slack_bot(): return f'xoxb-{digits(12)}-{digits(13)}-{rs(24)}'
def sendgrid(): return 'SG.' + rs(22, AL + '-_') + '.' + rs(43, AL + '-_')
def stripe(): return 'sk_live_51' + rs(97)
def mailgun(): return 'key-' + hexs(32)
def gapi(): return 'AIza' + rs(35, AL + '-_')
def hvs(): return 'hvs.CAESI' + rs(86, AL + '-_')
def dapi(): return 'dapi' + hexs(32)
def azure_secret(): return rs(3) + R.choice(DIG) + 'Q~' + rs(34, AL + '~._-')
def gocspx(): return 'GOCSPX-' + rs(28, AL + '-_')
def google_refresh(): return '1//0' + rs(2, AL) + '-' + rs(R.randint(95, 100), AL + '-_')
def ya29(): return 'ya29.a0' + rs(R.randint(180, 220), AL + '-_')
def do_spaces_key(): return 'DO00' + rs(16, UP + DIG)
def gcs_hmac_id(): return 'GOOG1E' + rs(55, UP + DIG)
def runner_legacy(): return rs(20, AL + '-_')
def azure_storage_key(): return b64rand(64)
def alibaba_id(): return 'LTAI5t' + rs(18)
def twilio_auth(): return hexs(32)
def pusher_secret(): return hexs(20)


def jwt(claims):
    head = b64url_nopad(json.dumps({'alg': 'RS256', 'kid': rs(43, AL + '-_'), 'typ': 'JWT'}, separators=(',', ':')).encode())
    body = b64url_nopad(json.dumps(claims, separators=(',', ':')).encode())
    return f'{head}.{body}.{b64url_nopad(rbytes(256))}'


def k8s_sa_token(ns='default', sa='deployer'):
    return jwt({'iss': 'kubernetes/serviceaccount', 'kubernetes.io/serviceaccount/namespace': ns,
                'kubernetes.io/serviceaccount/secret.name': f'{sa}-token-{rs(5, LOW + DIG)}',
                'kubernetes.io/serviceaccount/service-account.name': sa,
                'kubernetes.io/serviceaccount/service-account.uid': uid(), 'sub': f'system:serviceaccount:{ns}:{sa}'})


# ------------------------------------------------------------------ keys and PEM
def _der_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xff])


def _tlv(tag, body):
    return bytes([tag]) + _der_len(len(body)) + body


def _int(nbytes):
    v = rbytes(nbytes)
    v = bytes([v[0] | 0x80]) + v[1:]
    return _tlv(0x02, b'\x00' + v)


def _rsa_pkcs1():
    parts = [b'\x02\x01\x00', _int(256), b'\x02\x03\x01\x00\x01', _int(256), _int(128), _int(128),
             _int(128), _int(128), _int(128)]
    return _tlv(0x30, b''.join(parts))


RSA_OID = bytes.fromhex('300d06092a864886f70d0101010500')


def pem(label, der, width=64):
    body = b64(der)
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    return f'-----BEGIN {label}-----\n' + '\n'.join(lines) + f'\n-----END {label}-----'


def rsa_key():          # -----BEGIN RSA PRIVATE KEY-----
    return pem('RSA PRIVATE KEY', _rsa_pkcs1())


def pkcs8_key():        # -----BEGIN PRIVATE KEY-----
    return pem('PRIVATE KEY', _tlv(0x30, b'\x02\x01\x00' + RSA_OID + _tlv(0x04, _rsa_pkcs1())))


def ec_key():
    der = _tlv(0x30, b'\x02\x01\x01' + _tlv(0x04, rbytes(32)) + bytes.fromhex('a00a06082a8648ce3d030107')
               + _tlv(0xa1, _tlv(0x03, b'\x00\x04' + rbytes(64))))
    return pem('EC PRIVATE KEY', der)


def _sshstr(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack('>I', len(b)) + b


def openssh_key(comment='alice@laptop'):
    pub = rbytes(32)
    pubblob = _sshstr('ssh-ed25519') + _sshstr(pub)
    check = rbytes(4)
    priv = check + check + _sshstr('ssh-ed25519') + _sshstr(pub) + _sshstr(rbytes(32) + pub) + _sshstr(comment)
    pad = 1
    while len(priv) % 8:
        priv += bytes([pad])
        pad += 1
    blob = b'openssh-key-v1\x00' + _sshstr('none') + _sshstr('none') + _sshstr(b'') + struct.pack('>I', 1) \
        + _sshstr(pubblob) + _sshstr(priv)
    return pem('OPENSSH PRIVATE KEY', blob, width=70)


def ssh_ed_pub(comment):
    return 'ssh-ed25519 ' + b64(_sshstr('ssh-ed25519') + _sshstr(rbytes(32))) + ' ' + comment


def ssh_rsa_pub(comment):
    n = b'\x00' + bytes([0x80 | R.getrandbits(7)]) + rbytes(255)
    return 'ssh-rsa ' + b64(_sshstr('ssh-rsa') + _sshstr(b'\x01\x00\x01') + _sshstr(n)) + ' ' + comment


def public_key_pem():
    spki = _tlv(0x30, RSA_OID + _tlv(0x03, b'\x00' + _tlv(0x30, _int(256) + b'\x02\x03\x01\x00\x01')))
    return pem('PUBLIC KEY', spki)


def certificate(cn='example.com'):
    tbs = _tlv(0x30, bytes.fromhex('a003020102') + _tlv(0x02, rbytes(16)) + bytes.fromhex('300d06092a864886f70d01010b0500')
               + _tlv(0x30, _tlv(0x31, _tlv(0x30, bytes.fromhex('0603550403') + _tlv(0x0c, cn.encode()))))
               + bytes.fromhex('301e170d3234303131353030303030305a170d3334303131323030303030305a')
               + _tlv(0x30, _tlv(0x31, _tlv(0x30, bytes.fromhex('0603550403') + _tlv(0x0c, cn.encode()))))
               + _tlv(0x30, RSA_OID + _tlv(0x03, b'\x00' + _tlv(0x30, _int(256) + b'\x02\x03\x01\x00\x01'))))
    der = _tlv(0x30, tbs + bytes.fromhex('300d06092a864886f70d01010b0500') + _tlv(0x03, b'\x00' + rbytes(256)))
    return pem('CERTIFICATE', der)


def wg_key():
    return b64rand(32)


def openvpn_static_key():
    lines = [hexs(32) for _ in range(16)]
    return ('-----BEGIN OpenVPN Static key V1-----\n' + '\n'.join(lines) + '\n-----END OpenVPN Static key V1-----')


# ------------------------------------------------------------------ hashes and tool encodings
def sha512crypt(): return '$6$' + rs(16, CRYPT64) + '$' + rs(86, CRYPT64)
def sha256crypt(): return '$5$' + rs(16, CRYPT64) + '$' + rs(43, CRYPT64)
def yescrypt(): return '$y$j9T$' + rs(22, CRYPT64) + '$' + rs(43, CRYPT64)
def md5crypt(): return '$1$' + rs(8, CRYPT64) + '$' + rs(22, CRYPT64)
def apr1(): return '$apr1$' + rs(8, CRYPT64) + '$' + rs(22, CRYPT64)
def bcrypt(cost=10, v='2y'): return f'${v}${cost:02d}$' + rs(53, CRYPT64)
def sha1_htpasswd(p): return '{SHA}' + b64(hashlib.sha1(p.encode()).digest())
def mysql_native(p): return '*' + hashlib.sha1(hashlib.sha1(p.encode()).digest()).hexdigest().upper()
def pg_md5(p, user): return 'md5' + hashlib.md5((p + user).encode()).hexdigest()
def scram(): return f'SCRAM-SHA-256$4096:{b64rand(16)}${b64rand(32)}:{b64rand(32)}'
def pbkdf2_django(): return f'pbkdf2_sha256$720000${rs(22)}${b64rand(32)}'


def jenkins_secret(plain_len=16):
    ct = rbytes(16 * (plain_len // 16 + 1))
    return '{' + b64(b'\x01' + struct.pack('>I', 16) + struct.pack('>I', len(ct)) + rbytes(16) + ct) + '}'


def maven_enc(): return '{' + b64rand(32) + '}'
def gpp_cpassword(p): return b64(rbytes(16 * ((len(p) * 2) // 16 + 1))).rstrip('=')
def dpapi_blob(): return b64(b'\x01\x00\x00\x00' + bytes.fromhex('d08c9ddf0115d1118c7a00c04fc297eb') + b'\x01\x00\x00\x00' + rbytes(R.choice([178, 194, 210])))
def mremoteng_enc(p): return b64(rbytes(16) + rbytes(16) + rbytes(len(p)) + rbytes(16))
def mobaxterm_enc(p): return b64(rbytes(len(p) + R.randint(0, 4)))
def navicat_enc(p): return HEX(32 * ((len(p)) // 16 + 1))
def nppftp_enc(p): return hexs(16 * ((len(p)) // 8 + 1))
def rclone_obscure(p): return b64url_nopad(rbytes(16) + rbytes(len(p)))
def wsftp_enc(p): return 'V' + HEX(len(p) * 2 + 30)


def firefox_enc(p):
    body = _tlv(0x04, bytes.fromhex('f8000000000000000000000000000001')) + _tlv(0x30, bytes.fromhex('06082a864886f70d0307') + _tlv(0x04, rbytes(8))) \
        + _tlv(0x04, rbytes(8 * (len(p) // 8 + 1)))
    return b64(_tlv(0x30, body))


def winscp_enc(password, user, host):
    """WinSCP's stored-password obfuscation (PWALG_SIMPLE: magic 0xA3, flag 0xFF)."""
    def ch(c):
        c = (~c ^ 0xA3) & 0xFF
        return '%02X' % c
    data = (user + host + password).encode()
    shift = R.randrange(50 - len(data)) if len(data) < 50 else 0
    out = ch(0xFF) + ch(0x00) + ch(len(data)) + ch(shift)
    out += ''.join(ch(R.getrandbits(8)) for _ in range(shift))
    out += ''.join(ch(b) for b in data)
    while len(out) < 100:
        out += ch(R.getrandbits(8))
    return out


def heidisql_enc(p):
    shift = R.randint(1, 9)
    return ''.join('%02x' % (ord(c) + shift) for c in p) + str(shift)


def jetbrains_old_enc(p):
    return ''.join('%04x' % (ord(c) ^ 0xdfaa) for c in p)


def unattend_b64(p, field):
    return b64((p + field).encode('utf-16-le'))


def json_str(s):
    """The JSON string literal body of s (escaped, without the quotes)."""
    return json.dumps(s)[1:-1]


def php_json_url(s):
    return json_str(s).replace('/', '\\/')


# ------------------------------------------------------------------ people and places
USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar',
         'peggy', 'trent', 'victor', 'walter', 'nadia', 'omar', 'priya', 'lars', 'sven', 'yuki', 'chen', 'marta']
COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'wonka', 'stark', 'wayne', 'tyrell',
             'cyberdyne', 'soylent', 'oceanic', 'monarch', 'gringotts', 'nakatomi']
TLDS = ['com', 'net', 'io', 'de', 'co.uk', 'fr', 'nl']


def company():
    return pick(COMPANIES)


def domain(c=None):
    return f'{c or company()}.{pick(TLDS)}'


def ip():
    return pick([f'10.{R.randint(0, 40)}.{R.randint(0, 255)}.{R.randint(2, 250)}',
                 f'192.168.{R.randint(0, 20)}.{R.randint(2, 250)}',
                 f'172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(2, 250)}',
                 f'{R.randint(31, 212)}.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(2, 250)}'])


def email(u=None, d=None):
    return f'{u or pick(USERS)}@{d or domain()}'


def ts_ms():
    return R.randint(1_650_000_000_000, 1_735_000_000_000)


def iso():
    return f'{R.randint(2021, 2025)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}'


# ====================================================================== ftp
def filezilla_server(host, user, p, name, proto=0, port=21, pass_mode='base64', logontype=1, indent='\t\t', remote=None):
    i = indent
    if pass_mode == 'base64':
        passline = f'{i}\t<Pass encoding="base64">{S(b64(p), "base64")}</Pass>\n'
    elif pass_mode == 'plain':
        passline = f'{i}\t<Pass>{S(p)}</Pass>\n'
    else:
        passline = ''
    rd = f'{i}\t<RemoteDir>{remote}</RemoteDir>\n' if remote else f'{i}\t<RemoteDir />\n'
    return (f'{i}<Server>\n{i}\t<Host>{host}</Host>\n{i}\t<Port>{port}</Port>\n{i}\t<Protocol>{proto}</Protocol>\n'
            f'{i}\t<Type>0</Type>\n{i}\t<User>{user}</User>\n{passline}{i}\t<Logontype>{logontype}</Logontype>\n'
            f'{i}\t<PasvMode>MODE_DEFAULT</PasvMode>\n{i}\t<EncodingType>Auto</EncodingType>\n{i}\t<BypassProxy>0</BypassProxy>\n'
            f'{i}\t<Name>{name}</Name>\n{rd}{i}\t<SyncBrowsing>0</SyncBrowsing>\n{i}\t<DirectoryComparison>0</DirectoryComparison>\n{i}</Server>\n')


def fz_remote(path):
    parts = [p for p in path.split('/') if p]
    return '1 0 ' + ' '.join(f'{len(p)} {p}' for p in parts)


def gen_ftp():
    c = 'ftp'
    # FileZilla 3 site manager, Linux
    d1, d2 = domain(), domain()
    leak('home/alice/.config/filezilla/sitemanager.xml', c, f'''
<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.66.4" platform="*nix">
	<Servers>
{filezilla_server('ftp.' + d1, 'alice', pw(), 'Shop production', remote=fz_remote('/public_html'))}		<Folder expanded="1">Clients
{filezilla_server('sftp.' + d2, 'deploy', pw(), d2 + ' (sftp)', proto=1, port=22, indent=chr(9) * 3)}{filezilla_server(ip(), 'webadmin', pw(), 'old vps', indent=chr(9) * 3)}		</Folder>
	</Servers>
</FileZilla3>
''')
    leak('home/alice/.config/filezilla/recentservers.xml', c, f'''
<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.66.4" platform="*nix">
	<RecentServers>
{filezilla_server('ftp.' + d1, 'alice', pw(), '', port=21).replace('<Name></Name>', '<Name />')}{filezilla_server(ip(), 'root', pw(), '', proto=1, port=22).replace('<Name></Name>', '<Name />')}	</RecentServers>
</FileZilla3>
''')
    # Windows FileZilla; one old server still stored in the clear (pre-3.26 export imported)
    d = domain()
    leak('Users/bob/AppData/Roaming/FileZilla/sitemanager.xml', c, f'''
<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<FileZilla3 version="3.24.0" platform="windows">
	<Servers>
{filezilla_server('ftp.' + d, 'bob', pw(), 'Marketing site', pass_mode='plain')}{filezilla_server('files.' + domain(), 'upload', pw(), 'Supplier drop', pass_mode='plain', remote=fz_remote('/incoming'))}{filezilla_server('ftps.' + d, 'bob', '', 'Ask each time', pass_mode='none', logontype=3)}	</Servers>
</FileZilla3>
''')
    leak('backup/bob-laptop/FileZilla/recentservers.xml', c, f'''
<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<FileZilla3>
	<RecentServers>
{filezilla_server(ip(), 'ftpuser', pw(), '', pass_mode='plain')}	</RecentServers>
</FileZilla3>
''')
    # WinSCP.ini (portable), CRLF
    h1, h2 = 'web01.' + domain(), ip()
    u1, u2 = 'carol', 'root'
    leak('Users/carol/Desktop/WinSCP/WinSCP.ini', c, f'''
[Configuration\\Interface]
RandomSeedFile=%USERPROFILE%\\Desktop\\WinSCP\\winscp.rnd
CollectUsage=0
Interface=0
[Configuration\\Interface\\Commander]
SessionsTabs=1
[Configuration\\Interface\\Commander\\LocalPanel]
LastPath=C:%5CUsers%5Ccarol%5CDocuments
[Sessions\\{u1}@{h1}]
HostName={h1}
UserName={u1}
LocalDirectory=C:%5CUsers%5Ccarol%5CDocuments%5Csite
RemoteDirectory=/var/www/html
UpdateDirectories=1
Password={S(winscp_enc(pw(), u1, h1))}
[Sessions\\prod%20db%20box]
HostName={h2}
UserName={u2}
PortNumber=2222
Password={S(winscp_enc(pw(), u2, h2))}
FSProtocol=2
[Sessions\\backup%20ftp]
HostName=ftp.{domain()}
UserName=backup
FSProtocol=5
Ftps=1
[SshHostKeys]
ssh-ed25519@22:{h1}=0x{hexs(64)},0x{hexs(64)}
''', crlf=True)
    h3 = 'sftp.' + domain()
    leak('tools/winscp/WinSCP.ini', c, f'''
[Sessions\\deploy@{h3}]
HostName={h3}
UserName=deploy
Password={S(winscp_enc(pw(), 'deploy', h3))}
ProxyMethod=3
ProxyHost=proxy.corp.local
ProxyPort=3128
ProxyUsername=svc_proxy
ProxyPasswordEnc={S(winscp_enc(pw(), 'svc_proxy', 'proxy.corp.local'))}
[Configuration\\Interface]
Interface=1
CopyParamList=
[Configuration\\Logging]
Logging=0
''', crlf=True)
    # Sublime SFTP
    def sublime(host, user, passline, typ='sftp', remote='/var/www/site/', port='22'):
        return f'''
{{
    // The tab key will cycle through the settings when first created
    // Visit https://codexns.io/products/sftp_for_subime/settings for help

    // sftp, ftp or ftps
    "type": "{typ}",

    "save_before_upload": true,
    "upload_on_save": true,
    "sync_down_on_open": false,
    "sync_skip_deletes": false,
    "sync_same_age": true,
    "confirm_downloads": false,
    "confirm_sync": true,
    "confirm_overwrite_newer": false,

    "host": "{host}",
    "user": "{user}",
{passline}
    "port": "{port}",

    "remote_path": "{remote}",
    "ignore_regexes": [
        "\\\\.sublime-(project|workspace)", "sftp-config(-alt\\\\d?)?\\\\.json",
        "sftp-settings\\\\.json", "/venv/", "\\\\.svn/", "\\\\.hg/", "\\\\.git/",
        "\\\\.bzr", "_darcs", "CVS", "\\\\.DS_Store", "Thumbs\\\\.db", "desktop\\\\.ini"
    ],
    //"file_permissions": "664",
    //"dir_permissions": "775",

    //"extra_list_connections": 0,

    "connect_timeout": 30,
    //"keepalive": 120,
    //"ftp_passive_mode": true,
    //"ftp_obey_passive_host": false,
    //"ssh_key_file": "~/.ssh/id_rsa",
    //"sftp_flags": ["-F", "/path/to/ssh_config"],

    //"preserve_modification_times": false,
    //"remote_time_offset_in_hours": 0,
    //"remote_encoding": "utf-8",
    //"remote_locale": "C",
    //"allow_config_upload": false,
}}
'''
    leak('projects/blog/sftp-config.json', c, sublime('blog.' + domain(), 'www-data', f'    "password": "{S(pw())}",'))
    leak('projects/shop-theme/sftp-config.json', c, sublime('ftp.' + domain(), 'theme', f'    "password": "{S(pw())}",', typ='ftp',
                                                             remote='/httpdocs/wp-content/themes/shop/', port='21'))
    clean('projects/agency-site/sftp-config.json', c, sublime('example.com', 'username', '    //"password": "password",', remote='/example/path/'))
    clean('projects/intranet/sftp-config.json', c, sublime('intranet.' + domain(), 'frank',
                                                          '    //"password": "password",\n    "ssh_key_file": "~/.ssh/id_ed25519",'))
    # VS Code SFTP (Natizyskunk / liximomo)
    leak('projects/landing/.vscode/sftp.json', c, f'''
{{
    "name": "landing prod",
    "host": "{ip()}",
    "protocol": "sftp",
    "port": 22,
    "username": "deploy",
    "password": "{S(pw())}",
    "remotePath": "/srv/landing",
    "uploadOnSave": true,
    "ignore": [".vscode", ".git", ".DS_Store", "node_modules"]
}}
''')
    hs = 'stage.' + domain()
    leak('projects/api/.vscode/sftp.json', c, f'''
{{
    "name": "api",
    "protocol": "sftp",
    "port": 22,
    "remotePath": "/home/api/app",
    "uploadOnSave": false,
    "useTempFile": false,
    "openSsh": false,
    "profiles": {{
        "staging": {{
            "host": "{hs}",
            "username": "api",
            "password": "{S(pw())}"
        }},
        "production": {{
            "host": "{ip()}",
            "username": "api",
            "password": "{S(pw())}",
            "remotePath": "/home/api/current"
        }}
    }},
    "defaultProfile": "staging"
}}
''')
    clean('projects/docs-site/.vscode/sftp.json', c, f'''
{{
    "name": "docs",
    "host": "docs.{domain()}",
    "protocol": "sftp",
    "port": 22,
    "username": "docs",
    "privateKeyPath": "~/.ssh/id_ed25519",
    "remotePath": "/var/www/docs",
    "uploadOnSave": true
}}
''')
    leak('projects/shop/.vscode/ftp-sync.json', c, f'''
{{
    "remotePath": "/public_html/",
    "host": "ftp.{domain()}",
    "username": "shopftp",
    "password": "{S(pw())}",
    "port": 21,
    "secure": false,
    "protocol": "ftp",
    "uploadOnSave": true,
    "passive": true,
    "debug": false,
    "privateKeyPath": null,
    "passphrase": null,
    "agent": null,
    "allow": [],
    "ignore": [
        "\\\\.vscode",
        "\\\\.git",
        "\\\\.DS_Store"
    ],
    "generatedFiles": {{
        "extensionsToInclude": [
            ""
        ],
        "path": ""
    }}
}}
''')
    # Atom remote-ftp and remote-sync
    def ftpconfig(host, user, passval, prompt='false', proto='ftp', port=21):
        return f'''
{{
    "protocol": "{proto}",
    "host": "{host}",
    "port": {port},
    "user": "{user}",
    "pass": "{passval}",
    "promptForPass": {prompt},
    "remote": "/",
    "local": "",
    "secure": false,
    "secureOptions": null,
    "connTimeout": 10000,
    "pasvTimeout": 10000,
    "keepalive": 10000,
    "watch": [],
    "watchTimeout": 500
}}
'''
    leak('projects/wp-site/.ftpconfig', c, ftpconfig('ftp.' + domain(), 'wpsite', S(pw())))
    clean('projects/old-portfolio/.ftpconfig', c, ftpconfig('ftp.' + domain(), 'portfolio', '', prompt='true'))
    leak('projects/legacy-cms/.remote-sync.json', c, f'''
{{
  "transport": "ftp",
  "hostname": "{ip()}",
  "port": 21,
  "username": "cms",
  "password": "{S(pw())}",
  "target": "/htdocs",
  "ignore": [
    ".remote-sync.json",
    ".git/**"
  ],
  "watch": [],
  "uploadOnSave": true,
  "useAtomicWrites": false,
  "deleteLocal": false
}}
''')
    clean('projects/static-site/.remote-sync.json', c, f'''
{{
  "transport": "scp",
  "hostname": "static.{domain()}",
  "port": 22,
  "username": "static",
  "keyfile": "/home/erin/.ssh/id_rsa",
  "passphrase": "",
  "target": "/var/www/static",
  "ignore": [
    ".remote-sync.json",
    ".git/**"
  ],
  "watch": [],
  "uploadOnSave": false
}}
''')
    # JetBrains webServers.xml: old PhpStorm stored a scrambled password attribute
    leak('projects/crm/.idea/webServers.xml', c, f'''
<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="WebServers">
    <option name="servers">
      <webServer id="{uid()}" name="crm-prod" url="http://crm.{domain()}">
        <fileTransfer host="{ip()}" port="21" rootFolder="/var/www/crm" accessType="FTP" login="crm"
                      password="{S(jetbrains_old_enc(pw()))}">
          <advancedOptions>
            <advancedOptions dataProtectionLevel="Private" passiveMode="true" shareSSLContext="true" />
          </advancedOptions>
          <option name="port" value="21" />
        </fileTransfer>
      </webServer>
    </option>
  </component>
</project>
''')
    clean('projects/portal/.idea/webServers.xml', c, f'''
<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="WebServers">
    <option name="servers">
      <webServer id="{uid()}" name="portal-staging">
        <fileTransfer rootFolder="/srv/portal" accessType="SFTP" host="staging.{domain()}" port="22" sshConfigId="{uid()}" sshConfig="deploy@staging:22 key">
          <advancedOptions>
            <advancedOptions dataProtectionLevel="Private" keepAliveTimeout="0" passiveMode="true" shareSSLContext="true" />
          </advancedOptions>
        </fileTransfer>
      </webServer>
    </option>
  </component>
</project>
''')
    # NppFTP
    nh = 'ftp.' + domain()
    leak('Users/dave/AppData/Roaming/Notepad++/plugins/config/NppFTP/NppFTP.xml', c, f'''
<?xml version="1.0" encoding="UTF-8" ?>
<NppFTP defaultCache="%CONFIGDIR%\\Cache\\%USERNAME%@%HOSTNAME%" outputShown="1" windowRatio="0.500000" clearCache="0" clearCachePermanent="0">
    <Profiles>
        <Profile name="intranet" parent="" hostname="{nh}" port="21" username="dave"
                 password="{S(nppftp_enc(pw()))}" askPassword="0" timeout="30" securityMode="0" transferMode="0" connectionMode="1" dataPortMin="10000" dataPortMax="12000" listParams="" initialDir="/www" keyFile="" passphrase="" askPassphrase="0" acceptedMethods="3">
            <FileTypes asciiTypes="" binaryTypes="" />
            <Cache />
        </Profile>
        <Profile name="router" parent="" hostname="{ip()}" port="22" username="root" password="" askPassword="1" timeout="30" securityMode="3" transferMode="1" connectionMode="0" dataPortMin="10000" dataPortMax="12000" listParams="" initialDir="" keyFile="" passphrase="" askPassphrase="0" acceptedMethods="3">
            <FileTypes asciiTypes="" binaryTypes="" />
            <Cache />
        </Profile>
    </Profiles>
</NppFTP>
''')
    clean('Users/heidi/AppData/Roaming/Notepad++/plugins/config/NppFTP/NppFTP.xml', c, f'''
<?xml version="1.0" encoding="UTF-8" ?>
<NppFTP defaultCache="%CONFIGDIR%\\Cache\\%USERNAME%@%HOSTNAME%" outputShown="0" windowRatio="0.500000" clearCache="0" clearCachePermanent="0">
    <Profiles>
        <Profile name="web" parent="" hostname="web.{domain()}" port="22" username="heidi" password="" askPassword="1" timeout="30" securityMode="3" transferMode="1" connectionMode="0" dataPortMin="10000" dataPortMax="12000" listParams="" initialDir="/var/www" keyFile="C:\\Users\\heidi\\.ssh\\id_rsa.ppk" passphrase="" askPassphrase="1" acceptedMethods="1">
            <FileTypes asciiTypes="" binaryTypes="" />
            <Cache />
        </Profile>
    </Profiles>
</NppFTP>
''')
    # MobaXterm
    mh1, mh2 = ip(), 'db01.' + domain()
    bm = lambda host, user, typ='0': f'#109#{typ}%{host}%22%{user}%%-1%-1%%%22%%0%0%0%%%-1%0%0%0%%1080%%0%0%1#MobaFont%10%0%0%-1%15%236,236,236%30,30,30%180,180,192%0%-1%0%%xterm%-1%0%_Std_Colors_0_%80%24%0%1%-1%<none>%%0%0%-1#0# #-1'
    leak('Users/erin/Documents/MobaXterm/MobaXterm.ini', c, f'''
[Misc]
PasswordsInRegistry=0
SessionP={digits(11)}
[Bookmarks]
SubRep=
ImgNum=42
web01 ({mh1})={bm(mh1, 'erin')}
{mh2}={bm(mh2, 'postgres')}
[Passwords]
ssh22:erin@{mh1}={S(mobaxterm_enc(pw()))}
ssh22:postgres@{mh2}={S(mobaxterm_enc(pw()))}
[Credentials]
domain-admin=CORP\\adm-erin:{S(mobaxterm_enc(pw()))}
[SSH]
SshAgent=1
ForwardX11=1
''', crlf=True)
    mh3 = ip()
    clean('Users/ivan/Documents/MobaXterm/MobaXterm.ini', c, f'''
[Misc]
PasswordsInRegistry=0
[Bookmarks]
SubRep=
ImgNum=42
lab ({mh3})={bm(mh3, 'ivan')}
[Bookmarks_1]
SubRep=Customers
ImgNum=41
[SSH]
SshAgent=1
GSSAPIAuth=0
''', crlf=True)
    # mRemoteNG
    def mrng_node(name, host, user, proto, pwd_attr, domainname=''):
        return (f'    <Node Name="{name}" Type="Connection" Descr="" Icon="mRemoteNG" Panel="General" Id="{uid()}" Username="{user}" Domain="{domainname}"\n'
                f'          Password="{pwd_attr}"\n'
                f'          Hostname="{host}" Protocol="{proto}" PuttySession="Default Settings" Port="{3389 if proto == "RDP" else 22}" ConnectToConsole="false" UseCredSsp="true" RenderingEngine="IE" ICAEncryptionStrength="EncrBasic" RDPAuthenticationLevel="NoAuth" Colors="Colors16Bit" Resolution="FitToWindow" AutomaticResize="true" DisplayWallpaper="false" DisplayThemes="false" CacheBitmaps="false" RedirectDiskDrives="false" RedirectPorts="false" RedirectPrinters="false" RedirectSmartCards="false" RedirectSound="DoNotPlay" />\n')
    protected = b64rand(76)   # encrypted check string under the default key: not a credential
    leak('Users/frank/AppData/Roaming/mRemoteNG/confCons.xml', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<mrng:Connections xmlns:mrng="http://mremoteng.org" Name="Connections" Export="false" EncryptionEngine="AES" BlockCipherMode="GCM" KdfIterations="1000" FullFileEncryption="false" Protected="{protected}" ConfVersion="2.6">
{mrng_node('DC01', ip(), 'Administrator', 'RDP', S(mremoteng_enc(pw())), 'CORP')}{mrng_node('fileserver', ip(), 'frank', 'RDP', S(mremoteng_enc(pw())), 'CORP')}{mrng_node('edge-router', ip(), 'admin', 'SSH2', '')}</mrng:Connections>
''')
    clean('Users/judy/AppData/Roaming/mRemoteNG/confCons.xml', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<mrng:Connections xmlns:mrng="http://mremoteng.org" Name="Connections" Export="false" EncryptionEngine="AES" BlockCipherMode="GCM" KdfIterations="1000" FullFileEncryption="false" Protected="{b64rand(76)}" ConfVersion="2.6">
{mrng_node('jumphost', ip(), 'judy', 'SSH2', '')}{mrng_node('build-win', ip(), 'judy', 'RDP', '', 'LAB')}</mrng:Connections>
''')
    # WS_FTP
    w1 = 'ftp.' + domain()
    leak('Users/grace/AppData/Roaming/Ipswitch/WS_FTP/Sites/ws_ftp.ini', c, f'''
[_config_]
DIR="C:\\Users\\grace\\Documents"
EXTMODE=0
PASVMODE=1
LOCALDIR="C:\\Users\\grace\\Documents"
[{w1}]
HOST={w1}
UID=grace
PWD={S(wsftp_enc(pw()))}
DIR="/public_html"
LOCDIR=C:\\Users\\grace\\Sites\\main
PASVMODE=1
RETRY=2
TIMEOUT=65
[Printing partner]
HOST={ip()}
UID=print
PWD={S(wsftp_enc(pw()))}
DIR="/upload"
PASVMODE=0
''', crlf=True)
    leak('backup/old-pc/WS_FTP/WS_FTP.INI', c, f'''
[_config_]
EXTMODE=0
CONNECTONSTARTUP=1
[Company web]
HOST=ftp.{domain()}
UID=webmaster
PWD={S(wsftp_enc(pw()))}
PASVMODE=1
''', crlf=True)
    # lftp bookmarks: the password sits percent-encoded in the URL
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('home/alice/.local/share/lftp/bookmarks', c, f'''
mirror	ftp://mirror.{domain()}/pub/
shop	ftp://shopftp:{S(enc, 'percent')}@ftp.{domain()}/htdocs/
nas	sftp://alice:{S(alnum_pw())}@{ip()}/volume1/share/
''')
    leak('projects/site/deploy/ftp-upload.sh', c, f'''
#!/bin/sh
# Uploads the built site; run from the repository root after `npm run build`.
set -eu
HOST=ftp.{domain()}
FTP_USER=siteupload
FTP_PASS='{S(pw())}'
cd dist
find . -type f | while read -r f; do
  curl --ftp-create-dirs -sS -T "$f" --user "$FTP_USER:$FTP_PASS" "ftp://$HOST/public_html/${{f#./}}"
done
echo "uploaded to $HOST"
''')
    # clean FileZilla: key and ask-password logons only; docs
    clean('home/bob/.config/filezilla/sitemanager.xml', c, f'''
<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.66.4" platform="*nix">
	<Servers>
		<Server>
			<Host>sftp.{domain()}</Host>
			<Port>22</Port>
			<Protocol>1</Protocol>
			<Type>0</Type>
			<User>bob</User>
			<Keyfile>/home/bob/.ssh/id_ed25519</Keyfile>
			<Logontype>5</Logontype>
			<PasvMode>MODE_DEFAULT</PasvMode>
			<EncodingType>Auto</EncodingType>
			<BypassProxy>0</BypassProxy>
			<Name>build artefacts</Name>
			<SyncBrowsing>0</SyncBrowsing>
			<DirectoryComparison>0</DirectoryComparison>
		</Server>
{filezilla_server('ftp.' + domain(), 'bob', '', 'ask', pass_mode='none', logontype=2)}	</Servers>
</FileZilla3>
''')
    clean('projects/handbook/docs/ftp-access.md', c, f'''
# FTP access for agencies

Agencies get a FileZilla site file from the web team. It looks like this
(the password is **never** put in the file we send; FileZilla asks for it):

```xml
<Server>
    <Host>ftp.example.com</Host>
    <Port>21</Port>
    <Protocol>0</Protocol>
    <User>agency-name</User>
    <Pass encoding="base64">BASE64_OF_YOUR_PASSWORD</Pass>
    <Logontype>1</Logontype>
</Server>
```

Set `Logontype` to `2` ("Ask for password") and delete the `<Pass>` line before you share a
site export. WinSCP users: `Password=` must stay empty in `WinSCP.ini`; use
`Sessions > Site Manager > Advanced > Authentication` with a key instead.

| field    | value                  |
|----------|------------------------|
| host     | `ftp.example.com`      |
| user     | `<agency-name>`        |
| password | `<from the password manager>` |
''')
    clean('Users/oscar/AppData/Roaming/WinSCP.ini', c, f'''
[Configuration\\Interface]
RandomSeedFile=%APPDATA%\\winscp.rnd
Interface=0
[Sessions\\oscar@files.{domain()}]
HostName=files.{domain()}
UserName=oscar
PublicKeyFile=C:%5CUsers%5Coscar%5C.ssh%5Cid_rsa.ppk
RemoteDirectory=/home/oscar
[Sessions\\Default%20Settings]
UserName=
FSProtocol=2
[SshHostKeys]
ssh-rsa@22:files.{domain()}=0x10001,0x{hexs(256)}
''', crlf=True)
    clean('Users/erin/Documents/MobaXterm/README.txt', c, '''
MobaXterm portable profile
==========================
Passwords are not saved: Settings > Configuration > General > MobaXterm passwords
management > "Save sessions passwords: Never".  [Passwords] and [Credentials]
sections are therefore absent from MobaXterm.ini.
''')


# ====================================================================== database
def dbeaver_conn(cid, provider, driver, name, host, port, db, user, passline, typ='prod', folder=None):
    f = f'\t\t\t"folder": "{folder}",\n' if folder else ''
    return f'''		"{cid}": {{
			"provider": "{provider}",
			"driver": "{driver}",
			"name": "{name}",
{f}			"save-password": true,
			"configuration": {{
				"host": "{host}",
				"port": "{port}",
				"database": "{db}",
				"url": "jdbc:{provider}://{host}:{port}/{db}",
				"configurationType": "MANUAL",
				"home": "",
				"type": "{typ}",
				"auth-model": "native",
				"user": "{user}",
{passline}
				"handlers": {{}}
			}}
		}}'''


def gen_database():
    c = 'database'
    # DBeaver
    conns = [
        dbeaver_conn(f'postgres-jdbc-{hexs(11)}-{hexs(16)}', 'postgresql', 'postgres-jdbc', 'shop prod', 'db.' + domain(), 5432, 'shop',
                     'shop_app', f'\t\t\t\t"password": "{S(pw())}",'),
        dbeaver_conn(f'mysql8-{hexs(11)}-{hexs(16)}', 'mysql', 'mysql8', 'wordpress', ip(), 3306, 'wp', 'root',
                     f'\t\t\t\t"password": "{S(pw())}",', typ='dev', folder='legacy'),
    ]
    leak('home/alice/.local/share/DBeaverData/workspace6/General/.dbeaver/data-sources.json', c, '{\n\t"folders": {\n\t\t"legacy": {}\n\t},\n\t"connections": {\n' + ',\n'.join(conns) + '\n\t},\n\t"connection-types": {\n\t\t"prod": {\n\t\t\t"name": "Production",\n\t\t\t"color": "247,159,129",\n\t\t\t"description": "Production database",\n\t\t\t"auto-commit": false,\n\t\t\t"confirm-execute": true,\n\t\t\t"confirm-data-change": true,\n\t\t\t"auto-close-transactions": true\n\t\t}\n\t}\n}\n')
    tricky = rs(6) + '"' + rs(5) + '\\' + rs(6)
    conns = [dbeaver_conn(f'sqlserver-{hexs(11)}-{hexs(16)}', 'sqlserver', 'microsoft', 'ERP', 'erp-sql.corp.local', 1433, 'ERP', 'sa',
                          f'\t\t\t\t"password": "{S(json_str(tricky), "json-escape")}",')]
    leak('Users/bob/AppData/Roaming/DBeaverData/workspace6/General/.dbeaver/data-sources.json', c,
         '{\n\t"folders": {},\n\t"connections": {\n' + ',\n'.join(conns) + '\n\t}\n}\n')
    conns = [dbeaver_conn(f'postgres-jdbc-{hexs(11)}-{hexs(16)}', 'postgresql', 'postgres-jdbc', 'analytics', 'warehouse.' + domain(), 5432, 'dwh',
                          'analyst', '\t\t\t\t"savePassword": false,')]
    clean('home/priya/.local/share/DBeaverData/workspace6/General/.dbeaver/data-sources.json', c,
          ('{\n\t"folders": {},\n\t"connections": {\n' + ',\n'.join(conns) + '\n\t}\n}\n').replace('"save-password": true', '"save-password": false'))
    # HeidiSQL exported settings
    def heidi(name, host, user, p, port=3306, nettype=0, lib='libmariadb.dll'):
        pl = f'Servers\\{name}\\Password<|||>1<|||>{S(heidisql_enc(p))}\n' if p else ''
        return (f'Servers\\{name}\\Host<|||>1<|||>{host}\nServers\\{name}\\WindowsAuth<|||>3<|||>0\n'
                f'Servers\\{name}\\CleartextPluginEnabled<|||>3<|||>0\nServers\\{name}\\User<|||>1<|||>{user}\n{pl}'
                f'Servers\\{name}\\LoginPrompt<|||>3<|||>0\nServers\\{name}\\Port<|||>1<|||>{port}\n'
                f'Servers\\{name}\\NetType<|||>3<|||>{nettype}\nServers\\{name}\\Compressed<|||>3<|||>0\n'
                f'Servers\\{name}\\LocalTimeZone<|||>3<|||>0\nServers\\{name}\\Library<|||>1<|||>{lib}\n'
                f'Servers\\{name}\\SessionCreated<|||>1<|||>{R.randint(2019, 2024)}-0{R.randint(1, 9)}-1{R.randint(0, 9)} 10:{R.randint(10, 59)}:{R.randint(10, 59)}\n')
    leak('Users/carol/Documents/heidisql-settings.txt', c,
         'LastSessions<|||>1<|||>shop prod\nMainWinMaximized<|||>3<|||>1\n'
         + heidi('shop prod', 'db.' + domain(), 'shop', alnum_pw()) + heidi('local', '127.0.0.1', 'root', alnum_pw())
         + heidi('reporting (pg)', 'pg.' + domain(), 'report', alnum_pw(), port=5432, nettype=8, lib='libpq-15.dll'), crlf=True)
    clean('Users/lars/Documents/heidisql-settings.txt', c,
          'LastSessions<|||>1<|||>Local\n' + heidi('Local', '127.0.0.1', 'root', '').replace('WindowsAuth<|||>3<|||>0', 'WindowsAuth<|||>3<|||>0')
          + heidi('MSSQL', 'sql01.corp.local', '', '', port=1433, nettype=3, lib='MSOLEDBSQL').replace('WindowsAuth<|||>3<|||>0', 'WindowsAuth<|||>3<|||>1'), crlf=True)
    # Navicat connections export
    leak('Users/dave/Documents/Navicat/connections.ncx', c, f'''
<?xml version="1.0" encoding="UTF-8"?>
<Connections Ver="1.5">
	<Connection ConnectionName="prod-mysql" ProjectUUID="" ConnType="MYSQL" OraConnType="" ServiceProvider="Default" Host="{ip()}" Port="3306" Database="" OraServiceNameType="" TNS="" MSSQLAuthenMode="" MSSQLAuthenWindowsDomain="" DatabaseFileName="" UserName="root" Password="{S(navicat_enc(pw()))}" SavePassword="true" SettingsSavePath="C:\\Users\\dave\\Documents\\Navicat\\MySQL\\Servers\\prod-mysql" SessionLimit="0" Encoding="65001" Keepalive="false" KeepaliveInterval="240" MySQLCharacterSet="true" Compression="false" AutoConnect="false" NamedPipe="false" NamedPipeSocket="" OraRole="" OraOSAuthentication="false" SQLiteEncrypt="false" SQLiteEncryptPassword="" SQLiteSaveEncryptPassword="false" UseAdvanced="false" SSL="false" SSH="false" HTTP="false"/>
	<Connection ConnectionName="crm-pg" ProjectUUID="" ConnType="POSTGRESQL" OraConnType="" ServiceProvider="Default" Host="crm-db.{domain()}" Port="5432" Database="crm" OraServiceNameType="" TNS="" MSSQLAuthenMode="" MSSQLAuthenWindowsDomain="" DatabaseFileName="" UserName="crm_owner" Password="{S(navicat_enc(pw()))}" SavePassword="true" SettingsSavePath="C:\\Users\\dave\\Documents\\Navicat\\PostgreSQL\\Servers\\crm-pg" SessionLimit="0" Encoding="65001" Keepalive="false" KeepaliveInterval="240" SSL="false" SSH="false" HTTP="false"/>
	<Connection ConnectionName="local sqlite" ProjectUUID="" ConnType="SQLITE" Host="" Port="0" Database="" DatabaseFileName="C:\\data\\app.db" UserName="" Password="" SavePassword="false" SQLiteEncrypt="false" SQLiteEncryptPassword="" SSL="false" SSH="false" HTTP="false"/>
</Connections>
''')
    clean('Users/yuki/Documents/Navicat/connections.ncx', c, f'''
<?xml version="1.0" encoding="UTF-8"?>
<Connections Ver="1.5">
	<Connection ConnectionName="staging" ProjectUUID="" ConnType="MYSQL" ServiceProvider="Default" Host="staging-db.{domain()}" Port="3306" Database="" UserName="yuki" Password="" SavePassword="false" SessionLimit="0" Encoding="65001" Keepalive="false" SSL="true" SSH="false" HTTP="false"/>
</Connections>
''')
    # Robo 3T
    def robo(conns):
        return '{\n    "autoConnect": true,\n    "autoExec": true,\n    "autoExpand": true,\n    "batchSize": 50,\n    "checkForUpdates": true,\n    "connections": [\n' + ',\n'.join(conns) + '\n    ],\n    "currentStyle": "Native",\n    "disableConnectionShortcuts": false,\n    "lineNumbers": false,\n    "loadMongoRcJs": false,\n    "mongoTimeoutSec": 10,\n    "programStyle": "Fusion",\n    "shellTimeoutSec": 15,\n    "textFontFamily": "",\n    "textFontPointSize": -1,\n    "timeZone": 0,\n    "uuidEncoding": 0,\n    "viewMode": 0\n}\n'

    def robo_conn(name, host, creds):
        return f'''        {{
            "configVersion": 4,
            "connectionName": "{name}",
            "credentials": [
{creds}
            ],
            "defaultDatabase": "",
            "isReplicaSet": false,
            "serverHost": "{host}",
            "serverPort": 27017,
            "ssh": {{
                "askPassword": false,
                "enabled": false,
                "host": "",
                "method": "password",
                "passphrase": "",
                "port": 22,
                "privateKeyFile": "",
                "publicKeyFile": "",
                "userName": "",
                "userPassword": ""
            }},
            "ssl": {{
                "allowInvalidCertificates": false,
                "allowInvalidHostnames": false,
                "caFile": "",
                "enabled": false,
                "pemKeyFile": "",
                "pemPassPhrase": "",
                "usePemPassphrase": false
            }},
            "uniqueId": "{uid()}"
        }}'''
    cred = lambda user, p: f'''                {{
                    "databaseName": "admin",
                    "enabled": true,
                    "mechanism": "SCRAM-SHA-1",
                    "userName": "{user}",
                    "userPassword": "{p}"
                }}'''
    leak('home/carol/.3T/robo-3t/1.4.4/robo3t.json', c, robo([robo_conn('prod replica', 'mongo1.' + domain(), cred('admin', S(pw()))),
                                                              robo_conn('local', 'localhost', cred('', '').replace('"enabled": true', '"enabled": false'))]))
    clean('home/sven/.3T/robo-3t/1.4.4/robo3t.json', c, robo([robo_conn('localhost', 'localhost', '')]))
    # SQuirreL
    def squirrel(name, url, user, passval, drv='-5'):
        return f'''    <Bean Class="net.sourceforge.squirrel_sql.client.gui.db.SQLAlias">
        <autoLogon>false</autoLogon>
        <colorProperties Class="net.sourceforge.squirrel_sql.client.gui.db.SQLAliasColorProperties">
            <objectTreeBackgroundColorRgbValue>0</objectTreeBackgroundColorRgbValue>
            <overrideObjectTreeBackgroundColor>false</overrideObjectTreeBackgroundColor>
            <overrideStatusBarBackgroundColor>false</overrideStatusBarBackgroundColor>
            <overrideToolbarBackgroundColor>false</overrideToolbarBackgroundColor>
            <statusBarBackgroundColorRgbValue>0</statusBarBackgroundColorRgbValue>
            <toolbarBackgroundColorRgbValue>0</toolbarBackgroundColorRgbValue>
        </colorProperties>
        <connectAtStartup>false</connectAtStartup>
        <connectionProperties Class="net.sourceforge.squirrel_sql.client.gui.db.SQLAliasConnectionProperties">
            <enableConnectionKeepAlive>false</enableConnectionKeepAlive>
            <keepAliveSleepTimeSeconds>120</keepAliveSleepTimeSeconds>
            <keepAliveSqlStatement/>
        </connectionProperties>
        <driverIdentifier Class="net.sourceforge.squirrel_sql.fw.id.UidIdentifier">
            <string>{drv}</string>
        </driverIdentifier>
        <driverProperties Class="net.sourceforge.squirrel_sql.fw.sql.SQLDriverPropertyCollection">
            <driverProperties Indexed="true"/>
        </driverProperties>
        <identifier Class="net.sourceforge.squirrel_sql.fw.id.UidIdentifier">
            <string>{hexs(7)}:{hexs(11)}:-{hexs(4)}</string>
        </identifier>
        <name>{name}</name>
        <password>{passval}</password>
        <schemaProperties Class="net.sourceforge.squirrel_sql.client.gui.db.SQLAliasSchemaProperties">
            <allSchemaProceduresNotToBeCached Indexed="true"/>
            <cacheSchemaIndependentMetaData>false</cacheSchemaIndependentMetaData>
            <expectsSomeCachedData>false</expectsSomeCachedData>
            <globalState>0</globalState>
            <schemaDetails Indexed="true"/>
        </schemaProperties>
        <url>{url}</url>
        <useDriverProperties>false</useDriverProperties>
        <userName>{user}</userName>
    </Bean>
'''
    leak('home/dave/.squirrel-sql/SQLAliases23.xml', c, '<Beans>\n' + squirrel('billing (oracle)', f'jdbc:oracle:thin:@{ip()}:1521:BILL', 'BILLING', S(pw()), '-9')
         + squirrel('pg reporting', f'jdbc:postgresql://report.{domain()}:5432/report', 'report_ro', S(pw())) + '</Beans>\n')
    clean('home/omar/.squirrel-sql/SQLAliases23.xml', c, '<Beans>\n' + squirrel('local h2', 'jdbc:h2:~/test', 'sa', '') + '</Beans>\n')
    # MySQL option files
    leak('home/alice/.my.cnf', c, f'''
[client]
user=alice
password="{S(pw())}"
host=db.{domain()}
default-character-set=utf8mb4

[mysqldump]
single-transaction
quick
''')
    leak('backup/srv-db01/etc/mysql/debian.cnf', c, f'''
# Automatically generated for Debian scripts. DO NOT TOUCH!
[client]
host     = localhost
user     = debian-sys-maint
password = {S(rs(16))}
socket   = /var/run/mysqld/mysqld.sock
[mysql_upgrade]
host     = localhost
user     = debian-sys-maint
password = {S(rs(16))}
socket   = /var/run/mysqld/mysqld.sock
''')
    leak('root/.my.cnf', c, f'''
[client]
user=root
password={S(alnum_pw())}

[mysql]
prompt=\\u@\\h [\\d]>\\_
''')
    clean('home/marta/.my.cnf', c, '''
[client]
user=marta
# password is read from the login path (mysql_config_editor set --login-path=client)
#password=
socket=/var/run/mysqld/mysqld.sock

[mysql]
auto-rehash
pager="less -SFX"
''')
    clean('etc/mysql/mysql.conf.d/mysqld.cnf', c, '''
[mysqld]
pid-file        = /var/run/mysqld/mysqld.pid
socket          = /var/run/mysqld/mysqld.sock
datadir         = /var/lib/mysql
log-error       = /var/log/mysql/error.log
bind-address    = 127.0.0.1
# password policy (validate_password component)
validate_password.length = 14
validate_password.mixed_case_count = 1
validate_password.number_count = 1
validate_password.special_char_count = 1
validate_password.policy = STRONG
default_password_lifetime = 180
password_history = 5
password_reuse_interval = 365
''')
    # .pgpass
    leak('home/alice/.pgpass', c, f'''
db.{domain()}:5432:shop:shop_app:{S(pw().replace(':', ''))}
localhost:5432:*:postgres:{S(alnum_pw())}
*:*:analytics:analyst:{S(pw().replace(':', ''))}
''')
    leak('var/lib/postgresql/.pgpass', c, f'''
# replication
{ip()}:5432:replication:replicator:{S(rs(24))}
''')
    clean('projects/ops-handbook/postgres/pgpass.md', c, '''
# ~/.pgpass

One line per server, `chmod 600 ~/.pgpass`:

```
hostname:port:database:username:password
```

Example (replace the placeholders):

```
db.example.com:5432:*:app_user:<password>
```

`*` matches anything; escape `:` and `\\` in a field with a backslash.
''')
    # pgbouncer
    u1, u2 = 'shop_app', 'reporting'
    p1 = pw()
    leak('etc/pgbouncer/userlist.txt', c, f'''
"{u1}" "{S(pg_md5(p1, u1))}"
"{u2}" "{S(scram())}"
"pgbouncer_admin" "{S(alnum_pw())}"
"stats" ""
''')
    clean('etc/pgbouncer/pgbouncer.ini', c, f'''
[databases]
shop = host=10.0.4.12 port=5432 dbname=shop
reporting = host=10.0.4.13 port=5432 dbname=dwh pool_size=5

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
auth_type = scram-sha-256
auth_file = /etc/pgbouncer/userlist.txt
auth_query = SELECT usename, passwd FROM pg_shadow WHERE usename=$1
admin_users = pgbouncer_admin
stats_users = stats
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
server_tls_sslmode = verify-full
''')
    # redis
    redis_head = '''
# Redis configuration file example.
#
# Note that in order to read the configuration file, Redis must be
# started with the file path as first argument:
#
# ./redis-server /path/to/redis.conf

bind 127.0.0.1 -::1
protected-mode yes
port 6379
tcp-backlog 511
timeout 0
tcp-keepalive 300
daemonize no
supervised auto
pidfile /var/run/redis_6379.pid
loglevel notice
logfile /var/log/redis/redis-server.log
databases 16
save 3600 1 300 100 60 10000
dbfilename dump.rdb
dir /var/lib/redis

################################# REPLICATION #################################
'''
    leak('etc/redis/redis.conf', c, redis_head + f'''
replicaof 10.0.3.21 6379
# If the master is password protected (using the "requirepass" configuration
# directive below) it is possible to tell the replica to authenticate before
# starting the replication synchronization process.
#
# masterauth <master-password>
masterauth {S(rs(32))}

################################## SECURITY ###################################

# IMPORTANT NOTE: starting with Redis 6 "requirepass" is just a compatibility
# layer on top of the new ACL system.
#
# requirepass foobared
requirepass {S(rs(32))}

maxmemory 2gb
maxmemory-policy allkeys-lru
appendonly yes
''')
    leak('backup/cache01/redis/redis.conf', c, redis_head + f'''
################################## SECURITY ###################################
requirepass "{S(weak())}"
rename-command FLUSHALL ""
''')
    clean('etc/redis/redis-default.conf', c, redis_head + '''
# masterauth <master-password>

################################## SECURITY ###################################

# requirepass foobared

# ACL users are defined in an external file:
aclfile /etc/redis/users.acl
''')
    leak('etc/redis/sentinel.conf', c, f'''
port 26379
daemonize no
pidfile /var/run/redis-sentinel.pid
logfile ""
dir /tmp
sentinel monitor mymaster 10.0.3.21 6379 2
sentinel auth-pass mymaster {S(rs(32))}
sentinel down-after-milliseconds mymaster 30000
sentinel parallel-syncs mymaster 1
sentinel failover-timeout mymaster 180000
''')
    # ODBC
    leak('etc/odbc.ini', c, f'''
[ODBC Data Sources]
ERP = ODBC Driver 18 for SQL Server
Warehouse = PostgreSQL Unicode

[ERP]
Driver = ODBC Driver 18 for SQL Server
Description = ERP production
Server = tcp:erp-sql.corp.local,1433
Database = ERP
UID = erp_reader
PWD = {S(pw())}
Encrypt = yes
TrustServerCertificate = yes

[Warehouse]
Driver = PostgreSQL Unicode
Servername = warehouse.{domain()}
Port = 5432
Database = dwh
Username = etl
Password = {S(pw())}
SSLmode = require
''')
    clean('etc/odbc.ini.template', c, '''
[ODBC Data Sources]
ERP = ODBC Driver 18 for SQL Server

[ERP]
Driver = ODBC Driver 18 for SQL Server
Server = tcp:${ERP_SQL_HOST},1433
Database = ERP
UID =
PWD =
Encrypt = yes
''')
    leak('home/erin/.odbc.ini', c, f'''
[snowflake]
Driver      = /usr/lib64/snowflake/odbc/lib/libSnowflake.so
Description = analytics
server      = {rs(7, LOW)}-{rs(7, LOW)}.snowflakecomputing.com
uid         = ERIN
pwd         = {S(pw())}
database    = ANALYTICS
warehouse   = COMPUTE_WH
role        = ANALYST
''')
    # cqlshrc
    leak('home/frank/.cassandra/cqlshrc', c, f'''
[authentication]
username = cassandra_admin
password = {S(pw())}

[connection]
hostname = {ip()}
port = 9042
timeout = 30

[ssl]
certfile = /home/frank/.cassandra/ca.pem
validate = true
''')
    clean('home/chen/.cassandra/cqlshrc', c, '''
; Sample ~/.cassandra/cqlshrc file.

[authentication]
;; If Cassandra has auth enabled, fill out these options
; username = fred
; password = !!bang!!$$
; keyspace = ks1

[ui]
color = on
completekey = tab
timezone = Etc/UTC

[connection]
hostname = 127.0.0.1
port = 9042
''')
    # phpMyAdmin
    leak('var/www/phpmyadmin/config.inc.php', c, f'''
<?php
/**
 * phpMyAdmin configuration file, generated by the setup script.
 */
declare(strict_types=1);

$cfg['blowfish_secret'] = '{S(rs(32, AL + '{}[]()-_.,:'))}'; /* YOU MUST FILL IN THIS FOR COOKIE AUTH! */

$i = 0;

/* Server: db.internal [1] */
$i++;
$cfg['Servers'][$i]['verbose'] = 'db.internal';
$cfg['Servers'][$i]['host'] = '10.0.4.12';
$cfg['Servers'][$i]['port'] = '';
$cfg['Servers'][$i]['socket'] = '';
$cfg['Servers'][$i]['auth_type'] = 'config';
$cfg['Servers'][$i]['user'] = 'root';
$cfg['Servers'][$i]['password'] = '{S(pw())}';

/* phpMyAdmin configuration storage */
$cfg['Servers'][$i]['controluser'] = 'pma';
$cfg['Servers'][$i]['controlpass'] = '{S(pw())}';
$cfg['Servers'][$i]['pmadb'] = 'phpmyadmin';

$cfg['UploadDir'] = '';
$cfg['SaveDir'] = '';
''')
    clean('var/www/phpmyadmin/config.sample.inc.php', c, '''
<?php
/**
 * phpMyAdmin sample configuration, you can use it as base for
 * manual configuration. For easier setup you can use setup/
 *
 * All directives are explained in documentation in the doc/ folder
 * or at <https://docs.phpmyadmin.net/>.
 */

declare(strict_types=1);

/**
 * This is needed for cookie based authentication to encrypt the cookie.
 * Needs to be a 32-bytes long string of random bytes. See FAQ 2.10.
 */
$cfg['blowfish_secret'] = ''; /* YOU MUST FILL IN THIS FOR COOKIE AUTH! */

/**
 * Servers configuration
 */
$i = 0;

/**
 * First server
 */
$i++;
/* Authentication type */
$cfg['Servers'][$i]['auth_type'] = 'cookie';
/* Server parameters */
$cfg['Servers'][$i]['host'] = 'localhost';
$cfg['Servers'][$i]['compress'] = false;
$cfg['Servers'][$i]['AllowNoPassword'] = false;

/**
 * phpMyAdmin configuration storage settings.
 */

/* User used to manipulate with storage */
// $cfg['Servers'][$i]['controlhost'] = '';
// $cfg['Servers'][$i]['controlport'] = '';
// $cfg['Servers'][$i]['controluser'] = 'pma';
// $cfg['Servers'][$i]['controlpass'] = 'pmapass';
''')
    # LDAP clients
    dc = company()
    leak('etc/nslcd.conf', c, f'''
# /etc/nslcd.conf
# nslcd configuration file. See nslcd.conf(5)
# for details.

# The user and group nslcd should run as.
uid nslcd
gid nslcd

# The location at which the LDAP server(s) should be reachable.
uri ldaps://ldap1.{dc}.local/ ldaps://ldap2.{dc}.local/

# The search base that will be used for all queries.
base dc={dc},dc=local

# The LDAP protocol version to use.
#ldap_version 3

# The DN to bind with for normal lookups.
binddn cn=nslcd,ou=services,dc={dc},dc=local
bindpw {S(pw())}

# The DN used for password modifications by root.
#rootpwmoddn cn=admin,dc=example,dc=com

# SSL options
ssl on
tls_reqcert demand
tls_cacertfile /etc/ssl/certs/ca-certificates.crt
''')
    clean('etc/nslcd.conf.dpkg-dist', c, '''
# /etc/nslcd.conf
# nslcd configuration file. See nslcd.conf(5)
# for details.

# The user and group nslcd should run as.
uid nslcd
gid nslcd

# The location at which the LDAP server(s) should be reachable.
uri ldap:///

# The search base that will be used for all queries.
base dc=example,dc=net

# The LDAP protocol version to use.
#ldap_version 3

# The DN to bind with for normal lookups.
#binddn cn=annonymous,dc=example,dc=net
#bindpw secret

# The DN used for password modifications by root.
#rootpwmoddn cn=admin,dc=example,dc=com

# SSL options
#ssl off
#tls_reqcert never
tls_cacertfile /etc/ssl/certs/ca-certificates.crt
''')
    dc2 = company()
    leak('etc/ldap.conf', c, f'''
# pam_ldap / libnss-ldap
base dc={dc2},dc=com
uri ldap://ldap.{dc2}.com/
ldap_version 3
binddn cn=proxyuser,ou=system,dc={dc2},dc=com
bindpw {S(pw())}
rootbinddn cn=admin,dc={dc2},dc=com
pam_password md5
nss_base_passwd ou=People,dc={dc2},dc=com?one
nss_base_group ou=Group,dc={dc2},dc=com?one
ssl start_tls
''')
    leak('etc/ldap.secret', c, S(pw()) + '\n')
    leak('etc/sssd/sssd.conf', c, f'''
[sssd]
services = nss, pam, sudo
config_file_version = 2
domains = {dc2}.com

[domain/{dc2}.com]
id_provider = ldap
auth_provider = ldap
ldap_uri = ldaps://ldap.{dc2}.com
ldap_search_base = dc={dc2},dc=com
ldap_default_bind_dn = cn=sssd,ou=system,dc={dc2},dc=com
ldap_default_authtok_type = password
ldap_default_authtok = {S(pw())}
ldap_tls_reqcert = demand
cache_credentials = true
enumerate = false
''')
    # migration tools
    leak('projects/billing/db/liquibase.properties', c, f'''
changeLogFile: db/changelog/db.changelog-master.yaml
url: jdbc:postgresql://billing-db.{domain()}:5432/billing
username: billing_owner
password: {S(pw())}
driver: org.postgresql.Driver
liquibase.hub.mode: off
''')
    leak('projects/inventory/flyway.conf', c, f'''
# Flyway configuration for the inventory service
flyway.url=jdbc:mysql://{ip()}:3306/inventory?useSSL=true
flyway.user=inventory
flyway.password={S(pw())}
flyway.schemas=inventory
flyway.locations=filesystem:sql/migrations
flyway.baselineOnMigrate=true
flyway.validateMigrationNaming=true
''')
    clean('projects/catalog/flyway.conf', c, '''
flyway.url=jdbc:postgresql://${DB_HOST}:5432/catalog
flyway.user=${DB_USER}
flyway.password=${DB_PASSWORD}
flyway.locations=filesystem:sql
flyway.cleanDisabled=true
''')
    leak('etc/grafana/provisioning/datasources/datasources.yaml', c, f'''
apiVersion: 1

datasources:
  - name: Prometheus
    type: prometheus
    access: proxy
    url: http://prometheus:9090
    isDefault: true
  - name: Shop MySQL
    type: mysql
    url: {ip()}:3306
    user: grafana_ro
    jsonData:
      database: shop
      maxOpenConns: 10
    secureJsonData:
      password: {S(alnum_pw())}
  - name: Timescale
    type: postgres
    url: tsdb.{domain()}:5432
    user: grafana
    jsonData:
      database: metrics
      sslmode: require
    secureJsonData:
      password: "{S(pw())}"
''')
    clean('etc/grafana/provisioning/datasources/loki.yaml', c, '''
apiVersion: 1

datasources:
  - name: Loki
    type: loki
    access: proxy
    url: http://loki:3100
    jsonData:
      maxLines: 1000
    secureJsonData:
      basicAuthPassword: $LOKI_PASSWORD
''')
    leak('home/ivan/.mongorc.js', c, f'''
// auto-login to the ops replica set
var ops = connect("mongodb://mongo1.{domain()}:27017/admin");
ops.auth("ops", "{S(pw())}");
DBQuery.prototype._prettyShell = true;
prompt = function () {{ return db.getName() + "> "; }};
''')


# ====================================================================== messaging
def gmail_app_pw():
    return ' '.join(rs(4, LOW) for _ in range(4))


def gen_messaging():
    c = 'messaging'
    d = domain()
    leak('home/alice/.muttrc', c, f'''
# ~/.muttrc
set realname = "Alice {pick(['Martin', 'Keller', 'Novak'])}"
set from = "alice@{d}"
set use_from = yes

set imap_user = "alice@{d}"
set imap_pass = "{S(pw())}"
set folder = "imaps://mail.{d}:993"
set spoolfile = "+INBOX"
set postponed = "+Drafts"
set record = "+Sent"
set header_cache = ~/.cache/mutt/headers
set message_cachedir = ~/.cache/mutt/bodies
set certificate_file = ~/.mutt/certificates

set smtp_url = "smtp://alice@{d}@mail.{d}:587/"
set smtp_pass = "{S(pw())}"
set ssl_starttls = yes
set ssl_force_tls = yes

set sort = threads
set editor = "vim +/^$"
bind index G imap-fetch-mail
''')
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('home/bob/.mutt/muttrc', c, f'''
source ~/.mutt/colors
set from = "bob.{pick(COMPANIES)}@gmail.com"
set realname = "Bob"
set imap_user = "bob.work@gmail.com"
set folder = "imaps://imap.gmail.com:993"
set spoolfile = "+INBOX"
set smtp_url = "smtps://bob.work:{S(enc, 'percent')}@smtp.gmail.com:465/"
set smtp_authenticators = "gssapi:login"
set move = no
set imap_keepalive = 900
''')
    clean('home/victor/.muttrc', c, '''
set imap_user = "victor@fastmail.com"
set imap_pass = "`pass show mail/fastmail`"
set folder = "imaps://imap.fastmail.com:993"
set spoolfile = "+INBOX"
set smtp_url = "smtps://victor@fastmail.com@smtp.fastmail.com:465/"
source "gpg -dq ~/.mutt/passwords.gpg |"
set sort = reverse-date
''')
    # msmtp
    leak('home/alice/.msmtprc', c, f'''
# Set default values for all following accounts.
defaults
auth           on
tls            on
tls_trust_file /etc/ssl/certs/ca-certificates.crt
logfile        ~/.msmtp.log

# Gmail
account        gmail
host           smtp.gmail.com
port           587
from           alice.{pick(COMPANIES)}@gmail.com
user           alice.{pick(COMPANIES)}@gmail.com
password       {S(gmail_app_pw())}

# Work
account        work
host           mail.{d}
port           587
from           alice@{d}
user           alice
password       {S(pw())}

# Set a default account
account default : gmail
''')
    leak('etc/msmtprc', c, f'''
# system-wide msmtp for cron and monitoring alerts
defaults
port 587
tls on
tls_trust_file /etc/ssl/certs/ca-certificates.crt

account sendgrid
host smtp.sendgrid.net
from alerts@{domain()}
auth on
user apikey
password {S(sendgrid())}

account default : sendgrid
aliases /etc/aliases
''')
    clean('home/walter/.msmtprc', c, '''
defaults
auth on
tls on
tls_trust_file /etc/ssl/certs/ca-certificates.crt

account personal
host smtp.fastmail.com
port 465
tls_starttls off
from walter@fastmail.com
user walter@fastmail.com
passwordeval "gpg --quiet --for-your-eyes-only --no-tty --decrypt ~/.msmtp-personal.gpg"

account default : personal
''')
    leak('home/carol/.fetchmailrc', c, f'''
set daemon 300
set logfile ~/.fetchmail.log
set postmaster "carol"

poll imap.{d} protocol IMAP
    user "carol@{d}" there with password "{S(pw())}" is carol here
    options ssl sslcertck keep fetchall
    mda "/usr/bin/procmail -d %T"

poll pop.{domain()} protocol POP3 port 995
    user "carol.k" there with password "{S(pw())}" is carol here options ssl
''')
    clean('home/trent/.fetchmailrc', c, '''
set daemon 600
poll imap.example.org protocol IMAP
    user "trent" is trent here
    # password comes from ~/.netrc
    options ssl sslcertck keep
''')
    leak('home/dave/.mbsyncrc', c, f'''
IMAPAccount work
Host outlook.office365.com
User dave@{d}
Pass {S(pw())}
SSLType IMAPS
CertificateFile /etc/ssl/certs/ca-certificates.crt

IMAPStore work-remote
Account work

MaildirStore work-local
SubFolders Verbatim
Path ~/Mail/work/
Inbox ~/Mail/work/Inbox

Channel work
Far :work-remote:
Near :work-local:
Patterns *
Create Both
SyncState *
''')
    clean('home/yuki/.mbsyncrc', c, '''
IMAPAccount personal
Host imap.fastmail.com
User yuki@fastmail.com
PassCmd "pass show email/fastmail"
SSLType IMAPS

IMAPStore personal-remote
Account personal

MaildirStore personal-local
Path ~/Mail/personal/
Inbox ~/Mail/personal/Inbox

Channel personal
Far :personal-remote:
Near :personal-local:
Patterns *
''')
    leak('home/erin/.offlineimaprc', c, f'''
[general]
accounts = Work
maxsyncaccounts = 1
ui = ttyui

[Account Work]
localrepository = WorkLocal
remoterepository = WorkRemote
autorefresh = 5

[Repository WorkLocal]
type = Maildir
localfolders = ~/Maildir/work

[Repository WorkRemote]
type = IMAP
remotehost = imap.{d}
remoteuser = erin@{d}
remotepass = {S(alnum_pw())}
ssl = yes
sslcacertfile = /etc/ssl/certs/ca-certificates.crt
folderfilter = lambda foldername: foldername not in ['Trash', 'Junk']
''')
    clean('home/nadia/.offlineimaprc', c, '''
[general]
accounts = Gmail
pythonfile = ~/.offlineimap.py

[Account Gmail]
localrepository = Local
remoterepository = Remote

[Repository Local]
type = Maildir
localfolders = ~/Maildir/gmail

[Repository Remote]
type = Gmail
remoteuser = nadia@gmail.com
remotepasseval = get_pass("gmail")
sslcacertfile = /etc/ssl/certs/ca-certificates.crt
''')
    # Postfix / ssmtp / exim
    leak('etc/postfix/sasl_passwd', c, f'''
# relay credentials; run `postmap /etc/postfix/sasl_passwd` after editing
[smtp.sendgrid.net]:587 apikey:{S(sendgrid())}
[smtp.mailgun.org]:587 postmaster@mg.{domain()}:{S(hexs(32) + '-' + hexs(8) + '-' + hexs(8))}
[smtp.gmail.com]:587 relay.{pick(COMPANIES)}@gmail.com:{S(gmail_app_pw().replace(' ', ''))}
''')
    clean('etc/postfix/main.cf', c, f'''
smtpd_banner = $myhostname ESMTP $mail_name (Debian/GNU)
biff = no
append_dot_mydomain = no
readme_directory = no
compatibility_level = 3.6

smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem
smtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key
smtpd_tls_security_level=may

relayhost = [smtp.sendgrid.net]:587
smtp_sasl_auth_enable = yes
smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd
smtp_sasl_security_options = noanonymous
smtp_tls_security_level = encrypt
myhostname = mx1.{domain()}
mydestination = $myhostname, localhost
mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128
''')
    leak('etc/ssmtp/ssmtp.conf', c, f'''
#
# Config file for sSMTP sendmail
#
# The person who gets all mail for userids < 1000
root=ops@{d}

# The place where the mail goes.
mailhub=smtp.office365.com:587

# Where will the mail seem to come from?
rewriteDomain={d}

# The full hostname
hostname=backup01.{d}

AuthUser=noreply@{d}
AuthPass={S(alnum_pw())}
UseSTARTTLS=YES
FromLineOverride=YES
''')
    clean('etc/ssmtp/ssmtp.conf.dist', c, '''
#
# Config file for sSMTP sendmail
#
# The person who gets all mail for userids < 1000
# Make this empty to disable rewriting.
root=postmaster

# The place where the mail goes. The actual machine name is required no
# MX records are consulted. Commonly mailhosts are named mail.domain.com
mailhub=mail

# Where will the mail seem to come from?
#rewriteDomain=

# The full hostname
hostname=localhost

# Are users allowed to set their own From: address?
# YES - Allow the user to specify their own From: address
# NO - Use the system generated From: address
#FromLineOverride=YES
#AuthUser=username
#AuthPass=password
''')
    leak('etc/exim4/passwd.client', c, f'''
# password file used when the local exim is authenticating to a remote
# host as a client.
#
# see exim4_passwd_client(5) for more documentation
#
# Example:
### target.mail.server.example:login:password
smtp.gmail.com:backup.{pick(COMPANIES)}@gmail.com:{S(gmail_app_pw().replace(' ', ''))}
*.{d}:relay:{S(pw())}
''')
    # Chat
    leak('home/frank/.purple/accounts.xml', c, f'''
<?xml version='1.0' encoding='UTF-8' ?>

<account version='1.0'>
	<account>
		<protocol>prpl-jabber</protocol>
		<name>frank@jabber.{d}/Home</name>
		<password>{S(pw())}</password>
		<alias>Frank</alias>
		<statuses>
			<status type='available' name='Available' active='true'>
				<attributes/>
			</status>
			<status type='offline' name='Offline' active='false'>
				<attributes/>
			</status>
		</statuses>
		<settings>
			<setting name='connect_server' type='string'></setting>
			<setting name='custom_smileys' type='bool'>1</setting>
			<setting name='ft_proxies' type='string'>proxy.eu.jabber.org</setting>
			<setting name='port' type='int'>5222</setting>
			<setting name='connection_security' type='string'>require_tls</setting>
			<setting name='auth_plain_in_clear' type='bool'>0</setting>
		</settings>
		<settings ui='gtk-gaim'>
			<setting name='auto-login' type='bool'>1</setting>
		</settings>
		<current_error/>
	</account>
	<account>
		<protocol>prpl-irc</protocol>
		<name>frank_k@irc.libera.chat</name>
		<password>{S(alnum_pw())}</password>
		<settings>
			<setting name='port' type='int'>6697</setting>
			<setting name='ssl' type='bool'>1</setting>
			<setting name='encoding' type='string'>UTF-8</setting>
		</settings>
		<settings ui='gtk-gaim'>
			<setting name='auto-login' type='bool'>1</setting>
		</settings>
	</account>
</account>
''')
    clean('home/peggy/.purple/accounts.xml', c, f'''
<?xml version='1.0' encoding='UTF-8' ?>

<account version='1.0'>
	<account>
		<protocol>prpl-jabber</protocol>
		<name>peggy@jabber.{domain()}/Laptop</name>
		<statuses>
			<status type='available' name='Available' active='true'>
				<attributes/>
			</status>
		</statuses>
		<settings>
			<setting name='port' type='int'>5222</setting>
			<setting name='connection_security' type='string'>require_tls</setting>
		</settings>
		<settings ui='gtk-gaim'>
			<setting name='auto-login' type='bool'>0</setting>
		</settings>
	</account>
</account>
''')
    leak('home/grace/.config/hexchat/servlist.conf', c, f'''
v=2.16.2

N=Libera.Chat
I=grace_h
i=grace_h_
U=grace
R=Grace H
P={S(alnum_pw())}
L=6
E=UTF-8 (Unicode)
F=23
D=0
S=irc.libera.chat
J=#ops

N=corp-irc
I=grace
U=grace
P={S(pw())}
L=7
E=UTF-8 (Unicode)
F=19
D=1
S=irc.{d}/6697
''')
    clean('home/lars/.config/hexchat/servlist.conf', c, '''
v=2.16.2

N=OFTC
I=lars
i=lars_
U=lars
E=UTF-8 (Unicode)
F=19
D=0
S=irc.oftc.net/6697
J=#debian-next

N=Libera.Chat
L=10
E=UTF-8 (Unicode)
F=23
D=1
S=irc.libera.chat
''')
    leak('home/dave/.irssi/config', c, f'''
servers = (
  {{
    address = "irc.libera.chat";
    chatnet = "liberachat";
    port = "6697";
    use_tls = "yes";
    tls_verify = "yes";
    autoconnect = "yes";
  }},
  {{
    address = "bouncer.{d}";
    chatnet = "znc";
    port = "6697";
    password = "dave/libera:{S(alnum_pw())}";
    use_tls = "yes";
  }}
);

chatnets = {{
  liberachat = {{
    type = "IRC";
    sasl_mechanism = "PLAIN";
    sasl_username = "dave";
    sasl_password = "{S(pw())}";
  }};
  znc = {{ type = "IRC"; }};
}};

settings = {{
  core = {{ real_name = "Dave"; user_name = "dave"; nick = "dave"; }};
  "fe-common/core" = {{ theme = "default"; }};
}};
''')
    leak('home/erin/.weechat/irc.conf', c, f'''
#
# weechat -- irc.conf
#
# WARNING: It is NOT recommended to edit this file by hand,
# especially if WeeChat is running.
#

[look]
buffer_switch_autojoin = on
color_nicks_in_names = off

[server_default]
sasl_mechanism = plain
ssl = on
ssl_verify = on

[server]
libera.addresses = "irc.libera.chat/6697"
libera.ssl = on
libera.sasl_mechanism = plain
libera.sasl_username = "erin_w"
libera.sasl_password = "{S(pw())}"
libera.autoconnect = on
libera.nicks = "erin_w,erin_w_"
libera.autojoin = "#weechat,#linux"
''')
    clean('home/mallory/.weechat/irc.conf', c, '''
[server]
libera.addresses = "irc.libera.chat/6697"
libera.ssl = on
libera.sasl_mechanism = plain
libera.sasl_username = "mallory"
libera.sasl_password = "${sec.data.libera}"
libera.autoconnect = on
''')
    leak('etc/dovecot/users', c, f'''
alice@{d}:{S('{SHA512-CRYPT}' + sha512crypt())}:5000:5000::/var/vmail/{d}/alice::
bob@{d}:{S('{BLF-CRYPT}' + bcrypt(5))}:5000:5000::/var/vmail/{d}/bob::
noreply@{d}:{S('{PLAIN}' + pw())}:5000:5000::/var/vmail/{d}/noreply::
''')
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('home/bob/.config/aerc/accounts.conf', c, f'''
[Work]
source        = imaps://bob%40{d}:{S(enc, 'percent')}@outlook.office365.com:993
outgoing      = smtp+login://bob%40{d}@smtp.office365.com:587
outgoing-cred-cmd = pass show mail/work
default       = INBOX
from          = Bob <bob@{d}>
copy-to       = Sent
''')
    # VPN, Wi-Fi
    leak('etc/wireguard/wg0.conf', c, f'''
[Interface]
Address = 10.8.0.1/24
ListenPort = 51820
PrivateKey = {S(wg_key())}
PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
PostDown = iptables -D FORWARD -i %i -j ACCEPT; iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE

[Peer]
# alice laptop
PublicKey = {wg_key()}
PresharedKey = {S(wg_key())}
AllowedIPs = 10.8.0.2/32

[Peer]
# bob phone
PublicKey = {wg_key()}
AllowedIPs = 10.8.0.3/32
''')
    leak('home/alice/Downloads/wg-office.conf', c, f'''
[Interface]
PrivateKey = {S(wg_key())}
Address = 10.8.0.2/32
DNS = 10.8.0.1

[Peer]
PublicKey = {wg_key()}
Endpoint = vpn.{d}:51820
AllowedIPs = 10.0.0.0/8, 10.8.0.0/24
PersistentKeepalive = 25
''')
    clean('projects/ops-handbook/vpn/wireguard.md', c, '''
# WireGuard client setup

1. `wg genkey | tee privatekey | wg pubkey > publickey`
2. Send **only** `publickey` to the network team.
3. Create `/etc/wireguard/wg0.conf`:

```ini
[Interface]
PrivateKey = <your-private-key>
Address = 10.8.0.X/32
DNS = 10.8.0.1

[Peer]
PublicKey = <server-public-key>
Endpoint = vpn.example.com:51820
AllowedIPs = 10.0.0.0/8
```

Never commit the `[Interface]` section of a real config.
''')
    clean('etc/wireguard/peers.d/office-peers.conf', c, f'''
# generated from the inventory: public keys only
[Peer]
# alice
PublicKey = {wg_key()}
AllowedIPs = 10.8.0.2/32

[Peer]
# carol
PublicKey = {wg_key()}
AllowedIPs = 10.8.0.4/32

[Peer]
# build runner
PublicKey = {wg_key()}
AllowedIPs = 10.8.0.20/32
''')
    leak('etc/ipsec.secrets', c, f'''
# This file holds shared secrets or RSA private keys for authentication.

# RSA private key for this host, authenticating it to any other host
# which knows the public part.

: RSA moonKey.pem

moon.{d} sun.{d} : PSK "{S(rs(32, AL + '+/'))}"
carol@{d} : EAP "{S(pw())}"
%any gw.{domain()} : PSK {S('0s' + b64(rbytes(32)), 'base64')}
''')
    clean('etc/ipsec.secrets.dpkg-dist', c, '''
# This file holds shared secrets or RSA private keys for authentication.

# RSA private key for this host, authenticating it to any other host
# which knows the public part.

# this file is managed with debconf and will contain the automatically created private key
include /var/lib/strongswan/ipsec.secrets.inc
''')
    leak('etc/NetworkManager/system-connections/HomeWiFi.nmconnection', c, f'''
[connection]
id=HomeWiFi
uuid={uid()}
type=wifi
interface-name=wlp2s0
timestamp={R.randint(1_650_000_000, 1_735_000_000)}

[wifi]
mode=infrastructure
ssid=FRITZ!Box 7590 XY

[wifi-security]
auth-alg=open
key-mgmt=wpa-psk
psk={S(alnum_pw())}

[ipv4]
method=auto

[ipv6]
addr-gen-mode=stable-privacy
method=auto

[proxy]
''')
    leak('etc/NetworkManager/system-connections/Corp VPN.nmconnection', c, f'''
[connection]
id=Corp VPN
uuid={uid()}
type=vpn
autoconnect=false

[vpn]
gateway=vpn.{d}
password-flags=0
protocol=anyconnect
service-type=org.freedesktop.NetworkManager.openconnect
username=alice

[vpn-secrets]
password={S(pw())}

[ipv4]
method=auto
never-default=true

[ipv6]
addr-gen-mode=stable-privacy
method=auto
''')
    leak('etc/NetworkManager/system-connections/eduroam.nmconnection', c, f'''
[connection]
id=eduroam
uuid={uid()}
type=wifi

[wifi]
mode=infrastructure
ssid=eduroam

[wifi-security]
key-mgmt=wpa-eap

[802-1x]
anonymous-identity=anonymous@uni-{company()}.de
ca-cert=/etc/ssl/certs/T-TeleSec_GlobalRoot_Class_2.pem
domain-suffix-match=radius.uni-{company()}.de
eap=peap;
identity=ab{digits(5)}@uni-{company()}.de
password={S(pw())}
phase2-auth=mschapv2

[ipv4]
method=auto
''')
    clean('etc/NetworkManager/system-connections/Office.nmconnection', c, f'''
[connection]
id=Office
uuid={uid()}
type=wifi

[wifi]
mode=infrastructure
ssid=Office-5G

[wifi-security]
key-mgmt=wpa-psk
psk-flags=1

[ipv4]
method=auto

[ipv6]
method=auto
''')
    leak('etc/wpa_supplicant/wpa_supplicant.conf', c, f'''
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=DE

network={{
	ssid="Vodafone-{HEX(4)}"
	psk="{S(alnum_pw())}"
	key_mgmt=WPA-PSK
	priority=10
}}

network={{
	ssid="workshop"
	#psk="{'*' * 8}"
	psk={S(hexs(64))}
}}

network={{
	ssid="corp-8021x"
	key_mgmt=WPA-EAP
	eap=PEAP
	identity="svc-kiosk"
	password="{S(pw())}"
	phase2="auth=MSCHAPV2"
}}
''')
    leak('boot/wpa_supplicant.conf', c, f'''
country=GB
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1

network={{
    ssid="BTHub6-{HEX(4)}"
    psk="{S(rs(12, UP + LOW + DIG))}"
}}
''')
    clean('etc/wpa_supplicant/wpa_supplicant-guest.conf', c, '''
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1

network={
	ssid="Cafe Guest"
	key_mgmt=NONE
}
''')
    ca = certificate('OpenVPN CA')
    leak('home/alice/vpn/office.ovpn', c, f'''
client
dev tun
proto udp
remote vpn.{d} 1194
resolv-retry infinite
nobind
persist-key
persist-tun
remote-cert-tls server
cipher AES-256-GCM
auth SHA256
key-direction 1
verb 3
<auth-user-pass>
alice
{S(pw())}
</auth-user-pass>
<ca>
{ca}
</ca>
<cert>
{certificate('alice')}
</cert>
<key>
{S(pkcs8_key())}
</key>
<tls-auth>
#
# 2048 bit OpenVPN static key
#
{S(openvpn_static_key())}
</tls-auth>
''')
    leak('etc/openvpn/client/auth.txt', c, f'svc-backup\n{S(pw())}\n')
    clean('etc/openvpn/client/backup.conf', c, f'''
client
dev tun
proto tcp
remote vpn.{d} 443
auth-user-pass /etc/openvpn/client/auth.txt
auth-nocache
remote-cert-tls server
<ca>
{certificate('Corp Root CA')}
</ca>
''')


# ====================================================================== os
SYSTEM_ACCOUNTS = ['daemon', 'bin', 'sys', 'sync', 'games', 'man', 'lp', 'mail', 'news', 'uucp', 'proxy', 'www-data',
                   'backup', 'list', 'irc', 'nobody', 'systemd-network', 'systemd-resolve', 'messagebus', 'sshd', '_apt']


def gen_os():
    c = 'os'
    day = lambda: R.randint(18500, 20000)
    lines = [f'root:{S(sha512crypt())}:{day()}:0:99999:7:::']
    lines += [f'{a}:*:{day()}:0:99999:7:::' for a in SYSTEM_ACCOUNTS]
    lines += [f'alice:{S(sha512crypt())}:{day()}:0:99999:7:::', f'deploy:{S(sha512crypt())}:{day()}:0:99999:7:::',
              f'postgres:!:{day()}::::::', f'bob:{S(md5crypt())}:{day()}:0:99999:7:::', 'mysql:!:19000::::::']
    leak('backup/etc/shadow', c, '\n'.join(lines) + '\n')
    lines = [f'root:{S(yescrypt())}:{day()}:0:99999:7:::'] + [f'{a}:*:{day()}:0:99999:7:::' for a in SYSTEM_ACCOUNTS[:12]]
    lines += [f'ubuntu:{S(yescrypt())}:{day()}:0:99999:7:::', f'ansible:{S(sha256crypt())}:{day()}:0:99999:7:::', 'lxd:!:19100::::::']
    leak('srv/images/rootfs/etc/shadow', c, '\n'.join(lines) + '\n')
    lines = ['root:*:19700:0:99999:7:::'] + [f'{a}:*:19700:0:99999:7:::' for a in SYSTEM_ACCOUNTS] + ['app:!:19701::::::']
    clean('docker/base-image/rootfs/etc/shadow', c, '\n'.join(lines) + '\n')
    clean('docker/base-image/rootfs/etc/passwd', c, 'root:x:0:0:root:/root:/bin/bash\n' + ''.join(
        f'{a}:x:{i + 1}:{i + 1}:{a}:/nonexistent:/usr/sbin/nologin\n' for i, a in enumerate(SYSTEM_ACCOUNTS)) + 'app:x:1000:1000::/home/app:/bin/sh\n')
    clean('docker/base-image/rootfs/etc/gshadow', c, ''.join(f'{a}:*::\n' for a in ['root', 'daemon', 'bin', 'sys', 'adm', 'tty', 'disk', 'lp', 'mail', 'sudo', 'staff', 'users']) + 'app:!::\n')
    leak('backup/etc/security/opasswd', c, f'alice:1000:2:{S(sha512crypt())},{sha512crypt()}\n')
    # htpasswd
    u = ['admin', 'editor', 'monitor']
    leak('var/www/admin/.htpasswd', c, f'{u[0]}:{S(apr1())}\n{u[1]}:{S(bcrypt(5))}\n{u[2]}:{S(sha1_htpasswd(pw()))}\n')
    leak('etc/nginx/.htpasswd', c, f'staging:{S(apr1())}\n')
    # Samba
    leak('backup/etc/samba/smbpasswd', c, f'''
alice:1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:{S(HEX(32))}:[U          ]:LCT-{HEX(8)}:
scanner:1005:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:{S(HEX(32))}:[U          ]:LCT-{HEX(8)}:
''')
    # SSH private key
    leak('home/alice/.ssh/id_ed25519', c, S(openssh_key('alice@laptop')) + '\n')
    leak('backup/root/.ssh/id_rsa', c, S(rsa_key()) + '\n')
    clean('home/alice/.ssh/id_ed25519.pub', c, ssh_ed_pub('alice@laptop') + '\n')
    clean('home/alice/.ssh/authorized_keys', c, ssh_rsa_pub('alice@workstation') + '\n' + ssh_ed_pub('alice@laptop') + '\n'
          + 'from="10.0.0.0/8",no-agent-forwarding ' + ssh_ed_pub('ci@runner') + '\n')
    kh = ''.join(f'|1|{b64rand(20)}|{b64rand(20)} ' + pick([ssh_ed_pub(''), 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB' + rs(88, AL + '+/') + '= ']).rstrip() + '\n' for _ in range(6))
    clean('home/alice/.ssh/known_hosts', c, kh)
    clean('etc/ssh/sshd_config', c, '''
Include /etc/ssh/sshd_config.d/*.conf
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_rsa_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
PermitEmptyPasswords no
KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding no
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
''')
    clean('etc/login.defs', c, '''
MAIL_DIR        /var/mail
FAILLOG_ENAB		yes
LOG_UNKFAIL_ENAB	no
LOG_OK_LOGINS		no
SYSLOG_SU_ENAB		yes
SYSLOG_SG_ENAB		yes
FTMP_FILE	/var/log/btmp
SU_NAME		su
HUSHLOGIN_FILE	.hushlogin
ENV_SUPATH	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV_PATH	PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games
TTYGROUP	tty
TTYPERM		0600
ERASECHAR	0177
KILLCHAR	025
UMASK		022
#
# Password aging controls:
#
#	PASS_MAX_DAYS	Maximum number of days a password may be used.
#	PASS_MIN_DAYS	Minimum number of days allowed between password changes.
#	PASS_WARN_AGE	Number of days warning given before a password expires.
#
PASS_MAX_DAYS	90
PASS_MIN_DAYS	1
PASS_WARN_AGE	14
PASS_MIN_LEN	12
UID_MIN			 1000
UID_MAX			60000
LOGIN_RETRIES		5
LOGIN_TIMEOUT		60
ENCRYPT_METHOD SHA512
SHA_CRYPT_MIN_ROUNDS 5000
''')
    clean('etc/security/pwquality.conf', c, '''
# Configuration for systemwide password quality limits
# Defaults:
#
# Number of characters in the new password that must not be present in the
# old password.
difok = 5
#
# Minimum acceptable size for the new password (plus one if
# credits are not disabled which is the default).
minlen = 14
dcredit = -1
ucredit = -1
lcredit = -1
ocredit = -1
minclass = 4
maxrepeat = 3
dictcheck = 1
usercheck = 1
enforcing = 1
retry = 3
''')
    # Firefox logins.json (one line, as Firefox writes it)
    def ff_login(i, host, user):
        return {'id': i, 'hostname': host, 'httpRealm': None, 'formSubmitURL': host, 'usernameField': 'username',
                'passwordField': 'password', 'encryptedUsername': firefox_enc(user), 'encryptedPassword': OPEN + '-' + MID + firefox_enc(pw()) + CLOSE,
                'guid': '{' + uid() + '}', 'encType': 1, 'timeCreated': ts_ms(), 'timeLastUsed': ts_ms(),
                'timePasswordChanged': ts_ms(), 'timesUsed': R.randint(1, 40), 'syncCounter': 0, 'everSynced': False, 'encryptedUnknownFields': None}
    doc = {'nextId': 2, 'logins': [ff_login(1, 'https://accounts.' + domain(), 'alice')], 'potentiallyVulnerablePasswords': [],
           'dismissedBreachAlertsByLoginGUID': {}, 'version': 3}
    leak('home/alice/.mozilla/firefox/x8k2lq0d.default-release/logins.json', c, json.dumps(doc, ensure_ascii=False, separators=(',', ':')), final_newline=False)
    doc = {'nextId': 5, 'logins': [ff_login(4, 'https://intranet.' + domain(), 'bob.k')], 'potentiallyVulnerablePasswords': [],
           'dismissedBreachAlertsByLoginGUID': {}, 'version': 3}
    leak('Users/bob/AppData/Roaming/Mozilla/Firefox/Profiles/ab12cd34.default-release/logins.json', c, json.dumps(doc, ensure_ascii=False, separators=(',', ':')), final_newline=False)
    clean('home/carol/.mozilla/firefox/q1w2e3r4.default-release/logins.json', c,
          json.dumps({'nextId': 1, 'logins': [], 'potentiallyVulnerablePasswords': [], 'dismissedBreachAlertsByLoginGUID': {}, 'version': 3},
                     separators=(',', ':')), final_newline=False)
    # KeePass 2 XML export
    def kp_entry(title, user, url, passval, notes=''):
        nn = f'<Value>{notes}</Value>' if notes else '<Value />'
        return f'''			<Entry>
				<UUID>{b64rand(16)}</UUID>
				<IconID>0</IconID>
				<ForegroundColor />
				<BackgroundColor />
				<OverrideURL />
				<Tags />
				<Times>
					<CreationTime>{iso()}Z</CreationTime>
					<LastModificationTime>{iso()}Z</LastModificationTime>
					<LastAccessTime>{iso()}Z</LastAccessTime>
					<ExpiryTime>{iso()}Z</ExpiryTime>
					<Expires>False</Expires>
					<UsageCount>{R.randint(0, 30)}</UsageCount>
					<LocationChanged>{iso()}Z</LocationChanged>
				</Times>
				<String>
					<Key>Notes</Key>
					{nn}
				</String>
				<String>
					<Key>Password</Key>
					<Value ProtectInMemory="True">{passval}</Value>
				</String>
				<String>
					<Key>Title</Key>
					<Value>{title}</Value>
				</String>
				<String>
					<Key>URL</Key>
					<Value>{url}</Value>
				</String>
				<String>
					<Key>UserName</Key>
					<Value>{user}</Value>
				</String>
				<AutoType>
					<Enabled>True</Enabled>
					<DataTransferObfuscation>0</DataTransferObfuscation>
				</AutoType>
				<History />
			</Entry>
'''
    kp_entries = (kp_entry('VPN', 'dave', 'https://vpn.' + domain(), S(pw())) + kp_entry('Domain admin', 'CORP\\adm-dave', '', S(pw()), 'rotate quarterly')
                  + kp_entry('Router', 'admin', 'http://192.168.1.1', S(weak())))
    leak('Users/dave/Documents/Passwords-export.xml', c, f'''
<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile>
	<Meta>
		<Generator>KeePass</Generator>
		<DatabaseName>Work</DatabaseName>
		<DatabaseNameChanged>{iso()}Z</DatabaseNameChanged>
		<DatabaseDescription />
		<DefaultUserName>dave</DefaultUserName>
		<MaintenanceHistoryDays>365</MaintenanceHistoryDays>
		<Color />
		<MasterKeyChanged>{iso()}Z</MasterKeyChanged>
		<MasterKeyChangeRec>-1</MasterKeyChangeRec>
		<MasterKeyChangeForce>-1</MasterKeyChangeForce>
		<MemoryProtection>
			<ProtectTitle>False</ProtectTitle>
			<ProtectUserName>False</ProtectUserName>
			<ProtectPassword>True</ProtectPassword>
			<ProtectURL>False</ProtectURL>
			<ProtectNotes>False</ProtectNotes>
		</MemoryProtection>
		<RecycleBinEnabled>True</RecycleBinEnabled>
		<RecycleBinUUID>AAAAAAAAAAAAAAAAAAAAAA==</RecycleBinUUID>
		<HistoryMaxItems>10</HistoryMaxItems>
		<HistoryMaxSize>6291456</HistoryMaxSize>
	</Meta>
	<Root>
		<Group>
			<UUID>{b64rand(16)}</UUID>
			<Name>Work</Name>
			<Notes />
			<IconID>49</IconID>
			<IsExpanded>True</IsExpanded>
{kp_entries}		</Group>
	</Root>
</KeePassFile>
''')
    # browser / password manager CSV exports
    rows = [f'{h},https://{h}/login,{u},{S(pw())},' for h, u in
            [('github.com', 'alice-dev'), ('accounts.' + domain(), 'alice'), ('mail.' + domain(), 'alice@corp'), ('192.168.1.1', 'admin')]]
    leak('Users/alice/Downloads/Chrome Passwords.csv', c, 'name,url,username,password,note\n' + '\n'.join(rows) + '\n', crlf=True)
    rows = [f'www.{h},https://www.{h}/,{u},{S(pw())},' for h, u in [(domain(), 'erin'), (domain(), 'erin.w')]]
    leak('Users/erin/Downloads/Microsoft Edge Passwords.csv', c, 'name,url,username,password,note\n' + '\n'.join(rows) + '\n', crlf=True)
    rows = [f'"https://{h}","{u}","{S(pw())}",,"https://{h}","{{{uid()}}}","{ts_ms()}","{ts_ms()}","{ts_ms()}"'
            for h, u in [('login.' + domain(), 'frank'), ('shop.' + domain(), 'frank@mail.com'), ('id.' + domain(), 'fkeller')]]
    leak('home/frank/Downloads/logins.csv', c,
         '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed","timePasswordChanged"\n' + '\n'.join(rows) + '\n')
    rows = [f'{f},{fav},login,{n},,,0,https://{h},{u},{S(pw())},' for f, fav, n, h, u in
            [('Work', '1', 'Jira', 'jira.' + domain(), 'grace'), ('Work', '', 'AWS console', 'signin.aws.amazon.com', 'grace.admin'),
             ('', '', 'Netflix', 'netflix.com', 'grace@mail.com')]]
    leak('home/grace/Downloads/bitwarden_export_20240312101122.csv', c,
         'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n' + '\n'.join(rows)
         + '\nPersonal,,note,Wifi notes,"router is in the closet",,0,,,,\n')
    rows = [f'https://{h},{u},{S(pw())},,,{n},{g},0' for h, u, n, g in
            [('portal.' + domain(), 'heidi', 'Portal', 'Business'), ('mail.' + domain(), 'heidi@corp', 'Webmail', 'Business'),
             ('bank.' + domain(), 'h.schmidt', 'Bank', 'Finance')]]
    leak('home/heidi/Downloads/lastpass_export.csv', c, 'url,username,password,totp,extra,name,grouping,fav\n' + '\n'.join(rows) + '\n')
    rows = [f'"Root/Servers","{n}","{u}","{S(pw())}","{url}","","","0","{iso()}Z","{iso()}Z"' for n, u, url in
            [('bastion', 'ops', 'ssh://bastion.' + domain()), ('grafana', 'admin', 'https://grafana.' + domain())]]
    leak('home/ivan/Documents/keepassxc-export.csv', c, '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n'
         + '\n'.join(rows) + '\n')
    clean('projects/migration-tool/samples/bitwarden_import_template.csv', c, '''
folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp
Social,1,login,Twitter,,,0,twitter.com,me@example.com,,
,,login,EVGA,,,0,https://www.evga.com/support/login.asp,hello@example.com,,
,,note,My Note,"This is a secure note.",,0,,,,
''')
    # Bitwarden JSON export
    def bw_item(name, uri, user, passval, totp=None, folder=None):
        t = f'"{totp}"' if totp else 'null'
        f = f'"{folder}"' if folder else 'null'
        return f'''    {{
      "passwordHistory": null,
      "revisionDate": "{iso()}.{R.randint(100, 999)}Z",
      "creationDate": "{iso()}.{R.randint(100, 999)}Z",
      "deletedDate": null,
      "id": "{uid()}",
      "organizationId": null,
      "folderId": {f},
      "type": 1,
      "reprompt": 0,
      "name": "{name}",
      "notes": null,
      "favorite": false,
      "login": {{
        "fido2Credentials": [],
        "uris": [
          {{
            "match": null,
            "uri": "{uri}"
          }}
        ],
        "username": "{user}",
        "password": "{passval}",
        "totp": {t}
      }},
      "collectionIds": null
    }}'''
    fid = uid()
    items = [bw_item('GitHub', 'https://github.com/login', 'judy-dev', S(pw()), totp=S(rs(32, UP + '234567')), folder=fid),
             bw_item('VPS panel', 'https://panel.' + domain(), 'judy', S(pw()), folder=fid),
             bw_item('Tricky', 'https://legacy.' + domain(), 'judy', S(json_str(rs(5) + '\\' + rs(4) + '"' + rs(4)), 'json-escape'))]
    leak('home/judy/Downloads/bitwarden_export_20240105093012.json', c, f'''
{{
  "encrypted": false,
  "folders": [
    {{
      "id": "{fid}",
      "name": "Dev"
    }}
  ],
  "items": [
{",".join(chr(10) + i if k else i for k, i in enumerate(items))}
  ]
}}
''')
    clean('home/peggy/Downloads/bitwarden_encrypted_export_20240210.json', c, f'''
{{
  "encrypted": true,
  "passwordProtected": true,
  "salt": "{b64rand(16)}",
  "kdfType": 0,
  "kdfIterations": 600000,
  "kdfMemory": null,
  "kdfParallelism": null,
  "encKeyValidation_DO_NOT_EDIT": "2.{b64rand(16)}|{b64rand(48)}|{b64rand(32)}",
  "data": "2.{b64rand(16)}|{b64rand(720)}|{b64rand(32)}"
}}
''')
    # Windows unattended setup
    admin_pw, user_pw = pw(), pw()
    leak('deploy/sources/$OEM$/unattend.xml', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<unattend xmlns="urn:schemas-microsoft-com:unattend">
    <settings pass="oobeSystem">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <OOBE>
                <HideEULAPage>true</HideEULAPage>
                <HideOnlineAccountScreens>true</HideOnlineAccountScreens>
                <ProtectYourPC>3</ProtectYourPC>
            </OOBE>
            <UserAccounts>
                <AdministratorPassword>
                    <Value>{S(unattend_b64(admin_pw, 'AdministratorPassword'), 'base64')}</Value>
                    <PlainText>false</PlainText>
                </AdministratorPassword>
                <LocalAccounts>
                    <LocalAccount wcm:action="add">
                        <Password>
                            <Value>{S(user_pw)}</Value>
                            <PlainText>true</PlainText>
                        </Password>
                        <Description>Kiosk</Description>
                        <DisplayName>kiosk</DisplayName>
                        <Group>Users</Group>
                        <Name>kiosk</Name>
                    </LocalAccount>
                </LocalAccounts>
            </UserAccounts>
            <AutoLogon>
                <Password>
                    <Value>{S(unattend_b64(user_pw, 'Password'), 'base64')}</Value>
                    <PlainText>false</PlainText>
                </Password>
                <Enabled>true</Enabled>
                <LogonCount>1</LogonCount>
                <Username>kiosk</Username>
            </AutoLogon>
            <TimeZone>W. Europe Standard Time</TimeZone>
        </component>
    </settings>
    <settings pass="specialize">
        <component name="Microsoft-Windows-UnattendedJoin" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
            <Identification>
                <Credentials>
                    <Domain>corp.local</Domain>
                    <Password>{S(pw())}</Password>
                    <Username>svc-domainjoin</Username>
                </Credentials>
                <JoinDomain>corp.local</JoinDomain>
            </Identification>
        </component>
    </settings>
</unattend>
''', crlf=True)
    clean('Windows/Panther/unattend.xml', c, '''
<?xml version="1.0" encoding="utf-8"?>
<unattend xmlns="urn:schemas-microsoft-com:unattend">
    <settings pass="oobeSystem">
        <component name="Microsoft-Windows-Shell-Setup" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">
            <UserAccounts>
                <AdministratorPassword>*SENSITIVE*DATA*DELETED*</AdministratorPassword>
                <LocalAccounts>
                    <LocalAccount>
                        <Password>*SENSITIVE*DATA*DELETED*</Password>
                        <Name>labadmin</Name>
                        <Group>Administrators</Group>
                    </LocalAccount>
                </LocalAccounts>
            </UserAccounts>
            <AutoLogon>
                <Password>*SENSITIVE*DATA*DELETED*</Password>
                <Enabled>false</Enabled>
            </AutoLogon>
        </component>
    </settings>
</unattend>
''', crlf=True)
    leak('deploy/sysprep/sysprep.inf', c, f'''
[Unattended]
    OemSkipEula=Yes
    InstallFilesPath=C:\\sysprep\\i386
[GuiUnattended]
    AdminPassword="{S(pw())}"
    EncryptedAdminPassword=NO
    OEMSkipRegional=1
    TimeZone=110
    OemSkipWelcome=1
[UserData]
    ProductKey={'-'.join(rs(5, UP + DIG) for _ in range(5))}
    FullName="IT"
    OrgName="{company().title()}"
    ComputerName=*
[Identification]
    JoinDomain=CORP
    DomainAdmin=svc-join
    DomainAdminPassword={S(alnum_pw())}
''', crlf=True)
    # Group Policy Preferences
    gp = '{' + uid().upper() + '}'
    p1, p2 = pw(), pw()
    leak(f'SYSVOL/corp.local/Policies/{gp}/Machine/Preferences/Groups/Groups.xml', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<Groups clsid="{{3125E937-EB16-4b4c-9934-544FC6D24D26}}"><User clsid="{{DF5F1855-51E5-4d24-8B1A-D9BDE98BA1D1}}" name="LocalSvc" image="2" changed="{iso().replace('T', ' ')}" uid="{{{uid().upper()}}}"><Properties action="U" newName="" fullName="" description="" cpassword="{S(gpp_cpassword(p1))}" changeLogon="0" noChange="1" neverExpires="1" acctDisabled="0" userName="LocalSvc"/></User>
<Group clsid="{{6D4A79E4-529C-4481-ABD0-F5BD7EA93BA7}}" name="Administrators (built-in)" image="2" changed="{iso().replace('T', ' ')}" uid="{{{uid().upper()}}}"><Properties action="U" newName="" description="" deleteAllUsers="0" deleteAllGroups="0" removeAccounts="0" groupSid="S-1-5-32-544" groupName="Administrators (built-in)"><Members><Member name="CORP\\Helpdesk" action="ADD" sid=""/></Members></Properties></Group>
</Groups>
''', crlf=True)
    gp2 = '{' + uid().upper() + '}'
    leak(f'SYSVOL/corp.local/Policies/{gp2}/Machine/Preferences/ScheduledTasks/ScheduledTasks.xml', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<ScheduledTasks clsid="{{CC63F200-7309-4ba0-B154-A71CD118DBCC}}">
<Task clsid="{{2DEECB1C-261F-4e13-9B21-16FB83BC03BD}}" name="Nightly cleanup" image="2" changed="{iso().replace('T', ' ')}" uid="{{{uid().upper()}}}">
<Properties action="U" name="Nightly cleanup" appName="C:\\Scripts\\cleanup.cmd" args="" startIn="C:\\Scripts" comment="" enabled="1" runAs="CORP\\svc-tasks"
 cpassword="{S(gpp_cpassword(p2))}">
<Triggers><Trigger type="DAILY" startHour="2" startMinutes="0" beginYear="2019" beginMonth="3" beginDay="4" repeatTask="0" interval="1"/></Triggers>
</Properties>
</Task>
</ScheduledTasks>
''', crlf=True)
    gp3 = '{' + uid().upper() + '}'
    clean(f'SYSVOL/corp.local/Policies/{gp3}/Machine/Preferences/Groups/Groups.xml', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<Groups clsid="{{3125E937-EB16-4b4c-9934-544FC6D24D26}}"><User clsid="{{DF5F1855-51E5-4d24-8B1A-D9BDE98BA1D1}}" name="Guest" image="3" changed="{iso().replace('T', ' ')}" uid="{{{uid().upper()}}}"><Properties action="U" newName="" fullName="" description="" cpassword="" changeLogon="0" noChange="0" neverExpires="0" acctDisabled="1" userName="Guest"/></User>
</Groups>
''', crlf=True)
    # git credentials, netrc
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('home/alice/.git-credentials', c, f'''
https://alice-dev:{S(ghp())}@github.com
https://alice:{S(enc, 'percent')}@git.{domain()}
https://oauth2:{S(glpat())}@gitlab.com
''')
    leak('root/.git-credentials', c, f'https://deploy-bot:{S(github_pat())}@github.com\n')
    clean('projects/ops-handbook/git/credentials.md', c, '''
# Git over HTTPS

Use the credential helper of your OS (`git config --global credential.helper osxkeychain`
or `manager`). Do **not** use `store`: it writes `~/.git-credentials` in the clear as

    https://<username>:<token>@github.com

If you must script a clone, pass the token from the environment:

    git clone "https://x-access-token:${GITHUB_TOKEN}@github.com/org/repo.git"
''')
    leak('home/bob/.netrc', c, f'''
machine api.heroku.com
  login bob@{domain()}
  password {S(uid())}
machine git.heroku.com
  login bob@{domain()}
  password {S(uid())}
machine github.com login bob-k password {S(ghp())}
''')
    leak('Users/carol/_netrc', c, f'machine ftp.{domain()} login carol password {S(pw())}\nmachine urs.earthdata.nasa.gov login carol_k password {S(pw())}\n')
    clean('home/trent/.netrc', c, '''
# anonymous FTP mirrors
machine ftp.gnu.org login anonymous password anonymous@
default login anonymous password guest@
''')
    clean('etc/sudoers.d/10-ops', c, '''
# ops may restart services without a password; everything else asks for one
Defaults:%ops   timestamp_timeout=5, passwd_tries=3, passprompt="[sudo] password for %p: "
Defaults        !rootpw, !targetpw
%ops    ALL=(root) NOPASSWD: /usr/bin/systemctl restart nginx, /usr/bin/systemctl restart php8.2-fpm
%ops    ALL=(ALL:ALL) ALL
''')
    clean('etc/pam.d/common-password', c, '''
# here are the per-package modules (the "Primary" block)
password	requisite			pam_pwquality.so retry=3 minlen=14 difok=5 enforce_for_root
password	[success=1 default=ignore]	pam_unix.so obscure use_authtok try_first_pass yescrypt remember=5 rounds=65536
# here's the fallback if no module succeeds
password	requisite			pam_deny.so
password	required			pam_permit.so
''')


# ====================================================================== packages
MAVEN_HEAD = '''<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">
'''


def gen_packages():
    c = 'packages'
    nx = 'nexus.' + domain()
    leak('home/alice/.m2/settings.xml', c, MAVEN_HEAD + f'''  <localRepository>${{user.home}}/.m2/repository</localRepository>
  <servers>
    <server>
      <id>nexus-releases</id>
      <username>deployment</username>
      <password>{S(pw())}</password>
    </server>
    <server>
      <id>nexus-snapshots</id>
      <username>deployment</username>
      <password>{S(pw())}</password>
    </server>
    <server>
      <id>github</id>
      <username>alice-dev</username>
      <password>{S(ghp())}</password>
    </server>
  </servers>
  <mirrors>
    <mirror>
      <id>nexus-releases</id>
      <mirrorOf>*</mirrorOf>
      <url>https://{nx}/repository/maven-public/</url>
    </mirror>
  </mirrors>
  <profiles>
    <profile>
      <id>sonar</id>
      <properties>
        <sonar.host.url>https://sonar.{domain()}</sonar.host.url>
        <sonar.login>{S('squ_' + hexs(40))}</sonar.login>
      </properties>
    </profile>
  </profiles>
</settings>
''')
    leak('home/bob/.m2/settings.xml', c, MAVEN_HEAD + f'''  <servers>
    <server>
      <id>artifactory</id>
      <username>bob</username>
      <password>{S(maven_enc())}</password>
    </server>
    <server>
      <id>ossrh</id>
      <username>bobk</username>
      <password>{S(maven_enc())}</password>
    </server>
  </servers>
</settings>
''')
    leak('home/bob/.m2/settings-security.xml', c, f'''
<settingsSecurity>
  <master>{S(maven_enc())}</master>
</settingsSecurity>
''')
    clean('projects/lib/.mvn/settings.xml', c, MAVEN_HEAD + '''  <servers>
    <server>
      <id>ossrh</id>
      <username>${env.MAVEN_USERNAME}</username>
      <password>${env.MAVEN_PASSWORD}</password>
    </server>
    <server>
      <id>gpg.passphrase</id>
      <passphrase>${env.MAVEN_GPG_PASSPHRASE}</passphrase>
    </server>
  </servers>
</settings>
''')
    clean('projects/lib/docs/publishing.md', c, '''
# Publishing to Maven Central

Put your Sonatype token in `~/.m2/settings.xml` (never in this repository):

```xml
<server>
  <id>ossrh</id>
  <username>your-token-username</username>
  <password>your-token-password</password>
</server>
```

Then run `mvn -P release deploy`. CI reads `MAVEN_USERNAME` / `MAVEN_PASSWORD` from
repository secrets.
''')
    leak('projects/android-lib/gradle.properties', c, f'''
# Project-wide Gradle settings.
org.gradle.jvmargs=-Xmx2048m -Dfile.encoding=UTF-8
android.useAndroidX=true
kotlin.code.style=official
android.nonTransitiveRClass=true

GROUP=io.{company()}.android
VERSION_NAME=2.4.1

ossrhUsername={rs(8)}
ossrhPassword={S(rs(44, AL + '+/'))}
signing.keyId={HEX(8)}
signing.password={S(pw())}
signing.secretKeyRingFile=/Users/dave/.gnupg/secring.gpg
''')
    leak('home/carol/.gradle/gradle.properties', c, f'''
org.gradle.daemon=true
org.gradle.parallel=true
artifactory_contextUrl=https://artifactory.{domain()}/artifactory
artifactory_user=carol
artifactory_password={S('AKCp8' + rs(68))}
systemProp.https.proxyHost=proxy.corp.local
systemProp.https.proxyPort=3128
systemProp.https.proxyUser=carol
systemProp.https.proxyPassword={S(pw())}
''')
    clean('projects/app/gradle.properties', c, '''
org.gradle.jvmargs=-Xmx4g -XX:+HeapDumpOnOutOfMemoryError -Dfile.encoding=UTF-8
org.gradle.caching=true
org.gradle.configuration-cache=true
android.useAndroidX=true
android.enableJetifier=false
kotlin.incremental=true
# credentials come from ~/.gradle/gradle.properties or ORG_GRADLE_PROJECT_* env vars
mavenUser=
mavenPassword=
''')
    leak('projects/Shop/NuGet.Config', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
    <add key="company" value="https://pkgs.dev.azure.com/{company()}/_packaging/internal/nuget/v3/index.json" />
  </packageSources>
  <packageSourceCredentials>
    <company>
      <add key="Username" value="build" />
      <add key="ClearTextPassword" value="{S(rs(52, LOW + DIG))}" />
    </company>
  </packageSourceCredentials>
</configuration>
''', bom=True)
    leak('Users/dave/AppData/Roaming/NuGet/NuGet.Config', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
    <add key="ProGet" value="https://proget.{domain()}/nuget/internal/" />
  </packageSources>
  <packageSourceCredentials>
    <ProGet>
      <add key="Username" value="CORP\\dave" />
      <add key="Password" value="{S(dpapi_blob())}" />
    </ProGet>
  </packageSourceCredentials>
  <apikeys>
    <add key="https://www.nuget.org/api/v2/package" value="{S(dpapi_blob())}" />
  </apikeys>
</configuration>
''')
    clean('projects/Billing/NuGet.Config', c, '''
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="github" value="https://nuget.pkg.github.com/OWNER/index.json" />
  </packageSources>
  <packageSourceCredentials>
    <github>
      <add key="Username" value="%GITHUB_ACTOR%" />
      <add key="ClearTextPassword" value="%GITHUB_TOKEN%" />
    </github>
  </packageSourceCredentials>
</configuration>
''')
    leak('projects/magento-shop/auth.json', c, f'''
{{
    "http-basic": {{
        "repo.magento.com": {{
            "username": "{hexs(32)}",
            "password": "{S(hexs(32))}"
        }}
    }}
}}
''')
    clean('projects/magento-shop/auth.json.sample', c, '''
{
    "http-basic": {
        "repo.magento.com": {
            "username": "<public-key>",
            "password": "<private-key>"
        }
    }
}
''')
    leak('home/erin/.config/composer/auth.json', c, f'''
{{
    "bitbucket-oauth": {{}},
    "github-oauth": {{
        "github.com": "{S(gho())}"
    }},
    "gitlab-oauth": {{}},
    "gitlab-token": {{
        "gitlab.{domain()}": "{S(glpat())}"
    }},
    "http-basic": {{
        "repo.packagist.com": {{
            "username": "token",
            "password": "{S(hexs(64))}"
        }}
    }},
    "bearer": {{}}
}}
''')
    leak('home/alice/.pypirc', c, f'''
[distutils]
index-servers =
    pypi
    testpypi
    internal

[pypi]
username = __token__
password = {S(pypi_tok())}

[testpypi]
repository = https://test.pypi.org/legacy/
username = __token__
password = {S(pypi_tok())}

[internal]
repository = https://{nx}/repository/pypi-internal/
username = alice
password = {S(pw())}
''')
    clean('home/oscar/.pypirc', c, '''
[distutils]
index-servers =
    pypi

[pypi]
username = __token__
# password is stored in the system keyring (keyring set https://upload.pypi.org/legacy/ __token__)
''')
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('home/bob/.config/pip/pip.conf', c, f'''
[global]
index-url = https://bob:{S(enc, 'percent')}@{nx}/repository/pypi-all/simple
trusted-host = {nx}
timeout = 60
''')
    leak('etc/pip.conf', c, f'''
[global]
index-url = https://pypi.org/simple
extra-index-url = https://__token__:{S(glpat())}@gitlab.{domain()}/api/v4/projects/{R.randint(100, 9999)}/packages/pypi/simple
''')
    clean('home/nadia/.config/pip/pip.conf', c, f'''
[global]
index-url = https://{nx}/repository/pypi-all/simple
require-virtualenv = true
disable-pip-version-check = true
''')
    leak('home/walter/.config/pypoetry/auth.toml', c, f'''
[http-basic.internal]
username = "walter"
password = "{S(pw())}"

[pypi-token.pypi]
token = "{S(pypi_tok())}"
''')
    leak('home/carol/.gem/credentials', c, f'''
---
:rubygems_api_key: {S(rubygems())}
:github: Bearer {S(ghp())}
''')
    leak('projects/shop/.bundle/config', c, f'''
---
BUNDLE_PATH: "vendor/bundle"
BUNDLE_WITHOUT: "development:test"
BUNDLE_GEMS__CONTRIBSYS__COM: "{hexs(8)}:{S(hexs(8))}"
''')
    leak('home/dave/.bundle/config', c, f'''
---
BUNDLE_RUBYGEMS__PKG__GITHUB__COM: "dave-k:{S(ghp())}"
BUNDLE_JOBS: "4"
''')
    leak('home/alice/.npmrc', c, f'''
//registry.npmjs.org/:_authToken={S(npm_tok())}
@{company()}:registry=https://npm.pkg.github.com/
//npm.pkg.github.com/:_authToken={S(ghp())}
init-author-name=Alice
save-exact=true
''')
    npm_user, npm_pass = 'ci-npm', pw()
    leak('projects/web/.npmrc', c, f'''
registry=https://{nx}/repository/npm-all/
always-auth=true
_auth={S(b64(npm_user + ':' + npm_pass), 'base64')}
email=ci@{domain()}
//{nx}/repository/npm-private/:username=ci-npm
//{nx}/repository/npm-private/:_password={S(b64(npm_pass), 'base64')}
''')
    clean('projects/frontend/.npmrc', c, '''
engine-strict=true
@acme:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}
//registry.npmjs.org/:_authToken=${NPM_TOKEN}
''')
    leak('projects/web/.yarnrc.yml', c, f'''
nodeLinker: node-modules
enableTelemetry: false

npmRegistryServer: "https://registry.yarnpkg.com"

npmScopes:
  {company()}:
    npmRegistryServer: "https://npm.pkg.github.com"
    npmAlwaysAuth: true
    npmAuthToken: {S(ghp())}
  internal:
    npmRegistryServer: "https://{nx}/repository/npm-private/"
    npmAuthIdent: "ci-npm:{S(pw())}"

yarnPath: .yarn/releases/yarn-4.1.1.cjs
''')
    clean('projects/frontend/.yarnrc.yml', c, '''
nodeLinker: node-modules
npmScopes:
  acme:
    npmRegistryServer: "https://npm.pkg.github.com"
    npmAlwaysAuth: true
    npmAuthToken: "${NPM_AUTH_TOKEN}"
yarnPath: .yarn/releases/yarn-4.1.1.cjs
''')
    leak('home/erin/.cargo/credentials.toml', c, f'''
[registry]
token = "{S(cio())}"

[registries.{company()}]
token = "Bearer {S(rs(40))}"
''')
    clean('projects/cli/.cargo/config.toml', c, f'''
[registry]
global-credential-providers = ["cargo:token", "cargo:libsecret"]

[registries.internal]
index = "sparse+https://cargo.{domain()}/index/"
credential-provider = "cargo:token-from-stdout pass show cargo/internal"

[net]
git-fetch-with-cli = true
''')
    u1, p1 = 'frankk', pw()
    u2, p2 = 'AWS', aws_session()[:120]
    leak('home/frank/.docker/config.json', c, f'''
{{
	"auths": {{
		"https://index.docker.io/v1/": {{
			"auth": "{S(b64(u1 + ':' + dckr()), 'base64')}"
		}},
		"registry.gitlab.com": {{
			"auth": "{S(b64('frank:' + glpat()), 'base64')}"
		}},
		"{digits(12)}.dkr.ecr.eu-west-1.amazonaws.com": {{
			"auth": "{S(b64(u2 + ':' + p2), 'base64')}"
		}}
	}},
	"currentContext": "default"
}}
''')
    leak('home/grace/.docker/config.json', c, f'''
{{
	"auths": {{
		"harbor.{domain()}": {{
			"auth": "{S(b64('robot$ci+push:' + rs(32)), 'base64')}"
		}},
		"{company()}.azurecr.io": {{
			"auth": "{b64('00000000-0000-0000-0000-000000000000:')}",
			"identitytoken": "{S(jwt({'jti': uid(), 'sub': '00000000-0000-0000-0000-000000000000', 'grant_type': 'refresh_token', 'iss': 'Azure Container Registry'}))}"
		}}
	}},
	"HttpHeaders": {{
		"User-Agent": "Docker-Client/24.0.7 (linux)"
	}}
}}
''')
    clean('home/heidi/.docker/config.json', c, '''
{
	"auths": {
		"ghcr.io": {},
		"https://index.docker.io/v1/": {}
	},
	"credsStore": "desktop",
	"currentContext": "desktop-linux",
	"plugins": {
		"-x-cli-hints": {
			"enabled": "true"
		}
	}
}
''')
    leak('home/ivan/.dockercfg', c, f'{{"https://index.docker.io/v1/":{{"auth":"{S(b64("ivanp:" + pw()), "base64")}","email":"ivan@{domain()}"}}}}\n')
    leak('home/alice/.config/helm/repositories.yaml', c, f'''
apiVersion: ""
generated: "0001-01-01T00:00:00Z"
repositories:
- caFile: ""
  certFile: ""
  insecure_skip_tls_verify: false
  keyFile: ""
  name: bitnami
  pass_credentials_all: false
  password: ""
  url: https://charts.bitnami.com/bitnami
  username: ""
- caFile: ""
  certFile: ""
  insecure_skip_tls_verify: false
  keyFile: ""
  name: internal
  pass_credentials_all: false
  password: {S(alnum_pw())}
  url: https://charts.{domain()}/chartrepo/platform
  username: alice
''')
    clean('home/bob/.config/helm/repositories.yaml', c, '''
apiVersion: ""
generated: "0001-01-01T00:00:00Z"
repositories:
- caFile: ""
  certFile: ""
  insecure_skip_tls_verify: false
  keyFile: ""
  name: ingress-nginx
  pass_credentials_all: false
  password: ""
  url: https://kubernetes.github.io/ingress-nginx
  username: ""
''')
    leak('home/bob/.sbt/.credentials', c, f'''
realm=Sonatype Nexus Repository Manager
host={nx}
user=bob
password={S(pw())}
''')
    leak('home/carol/.terraform.d/credentials.tfrc.json', c, f'''
{{
  "credentials": {{
    "app.terraform.io": {{
      "token": "{S(tfc())}"
    }}
  }}
}}
''')
    leak('home/dave/.condarc', c, f'''
channels:
  - https://conda.anaconda.org/t/{S(rs(2, LOW) + '-' + rs(32, AL + '-'))}/{company()}
  - conda-forge
channel_priority: strict
auto_activate_base: false
''')
    # lockfiles and manifests: hashes, not secrets
    pkgs = ['lodash', 'express', 'debug', 'ms', 'semver', 'chalk', 'commander', 'uuid', 'axios', 'follow-redirects']
    entries = ',\n'.join(f'''    "node_modules/{p}": {{
      "version": "{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 9)}",
      "resolved": "https://registry.npmjs.org/{p}/-/{p}-1.0.0.tgz",
      "integrity": "sha512-{b64rand(64)}",
      "license": "MIT"
    }}''' for p in pkgs)
    clean('projects/web/package-lock.json', c, f'''
{{
  "name": "web",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {{
    "": {{
      "name": "web",
      "version": "1.0.0",
      "dependencies": {{
        "axios": "^1.6.0",
        "express": "^4.18.2"
      }}
    }},
{entries}
  }}
}}
''')
    clean('projects/frontend/yarn.lock', c, '# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n' + ''.join(
        f'{p}@^1.0.0:\n  version "1.{R.randint(0, 9)}.{R.randint(0, 9)}"\n  resolved "https://registry.yarnpkg.com/{p}/-/{p}-1.0.0.tgz#{hexs(40)}"\n  integrity sha512-{b64rand(64)}\n\n' for p in pkgs))
    clean('projects/cli/Cargo.lock', c, '# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n\n' + ''.join(
        f'[[package]]\nname = "{p}"\nversion = "0.{R.randint(1, 9)}.{R.randint(0, 20)}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{hexs(64)}"\n\n'
        for p in ['anyhow', 'bitflags', 'cfg-if', 'libc', 'memchr', 'once_cell', 'serde', 'syn']))
    clean('projects/api-go/go.sum', c, ''.join(
        f'{m} v1.{R.randint(0, 9)}.{R.randint(0, 9)} h1:{b64rand(32)}\n{m} v1.{R.randint(0, 9)}.{R.randint(0, 9)}/go.mod h1:{b64rand(32)}\n'
        for m in ['github.com/gorilla/mux', 'github.com/lib/pq', 'golang.org/x/crypto', 'golang.org/x/sys', 'gopkg.in/yaml.v3']))
    clean('projects/shop/composer.lock', c, '{\n    "_readme": [\n        "This file locks the dependencies of your project to a known state",\n        "Read more about it at https://getcomposer.org/doc/01-basic-usage.md#installing-dependencies",\n        "This file is @generated automatically"\n    ],\n    "content-hash": "' + hexs(32) + '",\n    "packages": [\n' + ',\n'.join(
        f'        {{\n            "name": "{v}/{n}",\n            "version": "v{R.randint(1, 7)}.{R.randint(0, 9)}.{R.randint(0, 9)}",\n            "source": {{\n                "type": "git",\n                "url": "https://github.com/{v}/{n}.git",\n                "reference": "{hexs(40)}"\n            }},\n            "dist": {{\n                "type": "zip",\n                "url": "https://api.github.com/repos/{v}/{n}/zipball/{hexs(40)}",\n                "reference": "{hexs(40)}",\n                "shasum": ""\n            }}\n        }}'
        for v, n in [('symfony', 'console'), ('monolog', 'monolog'), ('guzzlehttp', 'guzzle')]) + '\n    ]\n}\n')
    clean('projects/ml/poetry.lock', c, '# This file is automatically @generated by Poetry 1.8.2 and should not be changed by hand.\n\n' + ''.join(
        f'[[package]]\nname = "{p}"\nversion = "{R.randint(1, 3)}.{R.randint(0, 30)}.{R.randint(0, 9)}"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = [\n    {{file = "{p}-1.0.0-py3-none-any.whl", hash = "sha256:{hexs(64)}"}},\n    {{file = "{p}-1.0.0.tar.gz", hash = "sha256:{hexs(64)}"}},\n]\n\n'
        for p in ['certifi', 'charset-normalizer', 'idna', 'requests', 'urllib3']) + f'[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "{hexs(64)}"\n')


# ====================================================================== cloud
def sa_key_json(project, name, key_marked=True):
    key = pkcs8_key() + '\n'
    esc = json_str(key)
    val = S(esc, 'json-escape') if key_marked else esc
    return f'''{{
  "type": "service_account",
  "project_id": "{project}",
  "private_key_id": "{hexs(40)}",
  "private_key": "{val}",
  "client_email": "{name}@{project}.iam.gserviceaccount.com",
  "client_id": "{digits(21)}",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token",
  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/{name}%40{project}.iam.gserviceaccount.com",
  "universe_domain": "googleapis.com"
}}
'''


def gen_cloud():
    c = 'cloud'
    leak('home/alice/.aws/credentials', c, f'''
[default]
aws_access_key_id = {S(akia())}
aws_secret_access_key = {S(aws_secret())}

[prod-admin]
aws_access_key_id = {S(akia())}
aws_secret_access_key = {S(aws_secret())}
region = eu-central-1
''')
    leak('home/bob/.aws/credentials', c, f'''
[default]
aws_access_key_id={S(asia())}
aws_secret_access_key={S(aws_secret())}
aws_session_token={S(aws_session())}
x_security_token_expires={iso()}+00:00
x_principal_arn=arn:aws:sts::{digits(12)}:assumed-role/Developer/bob
''')
    leak('home/carol/.aws/config', c, f'''
[default]
region = us-east-1
output = json

[profile ci]
region = eu-west-1
aws_access_key_id = {S(akia())}
aws_secret_access_key = {S(aws_secret())}

[profile readonly]
role_arn = arn:aws:iam::{digits(12)}:role/ReadOnly
source_profile = ci
''')
    acct = digits(12)
    clean('home/dave/.aws/config', c, f'''
[default]
region = eu-west-1
output = json
cli_pager =

[profile dev]
sso_session = corp
sso_account_id = {acct}
sso_role_name = AdministratorAccess
region = eu-west-1

[sso-session corp]
sso_start_url = https://d-{hexs(10)}.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
''')
    clean('home/erin/.aws/credentials', c, f'''
[default]
credential_process = /usr/local/bin/aws-vault exec default --json

[prod]
credential_process = /usr/local/bin/aws-vault exec prod --json --duration=1h
''')
    # Azure
    tenant, sub = uid(), uid()
    leak('home/dave/.azure/accessTokens.json', c, f'''
[
    {{
        "tokenType": "Bearer",
        "expiresIn": 3599,
        "expiresOn": "{iso().replace('T', ' ')}.{R.randint(100000, 999999)}",
        "resource": "https://management.core.windows.net/",
        "accessToken": "{S(jwt({'aud': 'https://management.core.windows.net/', 'iss': f'https://sts.windows.net/{tenant}/', 'tid': tenant, 'upn': 'dave@' + domain(), 'scp': 'user_impersonation'}))}",
        "refreshToken": "{S('0.A' + rs(R.randint(700, 780), AL + '-_'))}",
        "oid": "{uid()}",
        "userId": "dave@{domain()}",
        "isMRRT": true,
        "_clientId": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        "_authority": "https://login.microsoftonline.com/{tenant}"
    }}
]
''')
    clean('home/dave/.azure/azureProfile.json', c, f'''
{{"installationId": "{uid()}", "subscriptions": [{{"id": "{sub}", "name": "Pay-As-You-Go", "state": "Enabled", "user": {{"name": "dave@{domain()}", "type": "user"}}, "isDefault": true, "tenantId": "{tenant}", "environmentName": "AzureCloud", "homeTenantId": "{tenant}", "tenantDefaultDomain": "{company()}.onmicrosoft.com", "tenantDisplayName": "Default Directory", "managedByTenants": []}}]}}
''')
    leak('projects/infra/azure/sp-terraform.json', c, f'''
{{
  "appId": "{uid()}",
  "displayName": "sp-terraform-prod",
  "password": "{S(azure_secret())}",
  "tenant": "{tenant}"
}}
''')
    leak('projects/infra/azure/sdk-auth.json', c, f'''
{{
  "clientId": "{uid()}",
  "clientSecret": "{S(azure_secret())}",
  "subscriptionId": "{sub}",
  "tenantId": "{tenant}",
  "activeDirectoryEndpointUrl": "https://login.microsoftonline.com",
  "resourceManagerEndpointUrl": "https://management.azure.com/",
  "activeDirectoryGraphResourceId": "https://graph.windows.net/",
  "sqlManagementEndpointUrl": "https://management.core.windows.net:8443/",
  "galleryEndpointUrl": "https://gallery.azure.com/",
  "managementEndpointUrl": "https://management.core.windows.net/"
}}
''')
    leak('home/erin/.azure/credentials', c, f'''
[default]
subscription_id={sub}
client_id={uid()}
secret={S(azure_secret())}
tenant={tenant}
''')
    leak('projects/functions/local.settings.json', c, f'''
{{
  "IsEncrypted": false,
  "Values": {{
    "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName={company()}funcs;AccountKey={S(azure_storage_key())};EndpointSuffix=core.windows.net",
    "FUNCTIONS_WORKER_RUNTIME": "python",
    "APPINSIGHTS_INSTRUMENTATIONKEY": "{uid()}"
  }}
}}
''')
    clean('projects/functions-template/local.settings.json', c, '''
{
  "IsEncrypted": false,
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "FUNCTIONS_WORKER_RUNTIME": "node"
  }
}
''')
    # GCP
    proj = f'{company()}-prod-{R.randint(1000, 9999)}'
    leak('home/erin/.config/gcloud/application_default_credentials.json', c, f'''
{{
  "account": "",
  "client_id": "{digits(12)}-{rs(32, LOW + DIG)}.apps.googleusercontent.com",
  "client_secret": "{S(gocspx())}",
  "quota_project_id": "{proj}",
  "refresh_token": "{S(google_refresh())}",
  "type": "authorized_user",
  "universe_domain": "googleapis.com"
}}
''')
    leak(f'projects/infra/keys/{proj}-{hexs(12)}.json', c, sa_key_json(proj, 'terraform'))
    leak('home/frank/.config/gcloud/legacy_credentials/frank@corp.io/adc.json', c, f'''
{{
  "client_id": "{digits(12)}-{rs(32, LOW + DIG)}.apps.googleusercontent.com",
  "client_secret": "{S(gocspx())}",
  "refresh_token": "{S(google_refresh())}",
  "type": "authorized_user"
}}
''')
    clean('projects/infra/gcp/wif-credentials.json', c, f'''
{{
  "type": "external_account",
  "audience": "//iam.googleapis.com/projects/{digits(12)}/locations/global/workloadIdentityPools/github/providers/github",
  "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
  "token_url": "https://sts.googleapis.com/v1/token",
  "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/deployer@{proj}.iam.gserviceaccount.com:generateAccessToken",
  "credential_source": {{
    "file": "/var/run/secrets/tokens/gcp-ksa/token",
    "format": {{
      "type": "text"
    }}
  }}
}}
''')
    leak('home/frank/.boto', c, f'''
# This file contains credentials and other configuration information needed
# by the boto library, used by gsutil. You can edit this file (e.g., to add
# credentials) but be careful not to mis-edit any of the variable names (like
# "gs_access_key_id") or remove important markers (like the "[Credentials]" and
# "[Boto]" section delimiters).

[Credentials]
gs_access_key_id = {S(gcs_hmac_id())}
gs_secret_access_key = {S(rs(40, AL + '+/'))}
gs_oauth2_refresh_token = {S(google_refresh())}

[Boto]
https_validate_certificates = True

[GSUtil]
content_language = en
default_project_id = {proj}
''')
    clean('home/grace/.boto', c, '''
# This file contains credentials and other configuration information needed
# by the boto library, used by gsutil. You can edit this file (e.g., to add
# credentials) but be careful not to mis-edit any of the variable names (like
# "gs_access_key_id") or remove important markers (like the "[Credentials]" and
# "[Boto]" section delimiters).

[Credentials]
# Google OAuth2 service account credentials (for "gs://" URIs):
#gs_service_key_file = <absolute path to your private key file>
# To add HMAC google credentials for "gs://" URIs, edit and uncomment the
# following two lines:
#gs_access_key_id = <your google access key ID>
#gs_secret_access_key = <your google secret access key>

[Boto]
https_validate_certificates = True

[GSUtil]
default_project_id = my-project
''')
    # kubeconfig
    ca = b64(certificate('kubernetes') + '\n')
    srv = f'https://{ip()}:6443'
    leak('home/alice/.kube/config', c, f'''
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: {srv}
  name: prod
- cluster:
    certificate-authority-data: {b64(certificate('minikubeCA') + chr(10))}
    server: https://192.168.49.2:8443
  name: minikube
contexts:
- context:
    cluster: prod
    namespace: shop
    user: deployer
  name: prod
- context:
    cluster: minikube
    user: minikube-admin
  name: minikube
current-context: prod
kind: Config
preferences: {{}}
users:
- name: deployer
  user:
    token: {S(k8s_sa_token('shop', 'deployer'))}
- name: minikube-admin
  user:
    client-certificate-data: {b64(certificate('minikube-user') + chr(10))}
    client-key-data: {S(b64(rsa_key() + chr(10)), 'base64')}
''')
    leak('home/bob/.kube/config', c, f'''
apiVersion: v1
kind: Config
clusters:
- name: legacy
  cluster:
    server: https://k8s-legacy.{domain()}:443
    insecure-skip-tls-verify: true
users:
- name: legacy-admin
  user:
    username: admin
    password: {S(rs(32))}
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-id: kubernetes
        client-secret: {S(rs(32))}
        id-token: {S(jwt({'iss': 'https://dex.' + domain(), 'sub': 'bob', 'aud': 'kubernetes', 'email': 'bob@' + domain()}))}
        idp-issuer-url: https://dex.{domain()}
        refresh-token: {S(rs(26, LOW + DIG))}
contexts:
- name: legacy
  context:
    cluster: legacy
    user: legacy-admin
current-context: legacy
''')
    clean('home/carol/.kube/config', c, f'''
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {b64(certificate('eks') + chr(10))}
    server: https://{hexs(32).upper()}.gr7.eu-west-1.eks.amazonaws.com
  name: arn:aws:eks:eu-west-1:{acct}:cluster/prod
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:{acct}:cluster/prod
    user: arn:aws:eks:eu-west-1:{acct}:cluster/prod
  name: prod
current-context: prod
kind: Config
preferences: {{}}
users:
- name: arn:aws:eks:eu-west-1:{acct}:cluster/prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - prod
      command: aws
      env:
      - name: AWS_PROFILE
        value: prod
      interactiveMode: IfAvailable
      provideClusterInfo: false
''')
    # rclone
    leak('home/carol/.config/rclone/rclone.conf', c, f'''
[gdrive]
type = drive
client_id =
client_secret =
scope = drive
token = {S(json.dumps({'access_token': ya29(), 'token_type': 'Bearer', 'refresh_token': google_refresh(), 'expiry': iso() + '.123456+01:00'}, separators=(',', ':')))}
team_drive =

[nas]
type = sftp
host = {ip()}
user = carol
pass = {S(rclone_obscure(pw()))}
shell_type = unix

[b2]
type = s3
provider = Other
access_key_id = {rs(25, HEXD)}
secret_access_key = {S('K005' + rs(27))}
endpoint = s3.eu-central-003.backblazeb2.com
''')
    clean('home/dave/.config/rclone/rclone.conf', c, f'''
[nas]
type = sftp
host = {ip()}
user = dave
key_file = ~/.ssh/id_ed25519
shell_type = unix
md5sum_command = md5sum
sha1sum_command = sha1sum

[s3]
type = s3
provider = AWS
env_auth = true
region = eu-west-1
''')
    leak('home/dave/.s3cfg', c, f'''
[default]
access_key = {S(akia())}
access_token =
add_encoding_exts =
bucket_location = EU
ca_certs_file =
check_ssl_certificate = True
default_mime_type = binary/octet-stream
encrypt = False
gpg_command = /usr/bin/gpg
gpg_passphrase = {S(pw())}
host_base = s3.amazonaws.com
host_bucket = %(bucket)s.s3.amazonaws.com
secret_key = {S(aws_secret())}
signature_v2 = False
use_https = True
''')
    clean('home/walter/.s3cfg', c, '''
[default]
access_key =
access_token =
bucket_location = US
gpg_passphrase =
host_base = nyc3.digitaloceanspaces.com
host_bucket = %(bucket)s.nyc3.digitaloceanspaces.com
secret_key =
use_https = True
''')
    # Terraform
    leak('projects/infra/terraform.tfvars', c, f'''
region          = "eu-central-1"
environment     = "prod"
instance_type   = "t3.large"
db_username     = "shop_admin"
db_password     = "{S(pw())}"
cloudflare_api_token = "{S(rs(40, AL + '_-'))}"
allowed_cidrs   = ["10.0.0.0/8", "192.168.0.0/16"]
''')
    clean('projects/infra/terraform.tfvars.example', c, '''
region        = "eu-central-1"
environment   = "staging"
db_username   = "shop_admin"
db_password   = "CHANGE_ME"
cloudflare_api_token = ""
''')
    clean('projects/infra/variables.tf', c, '''
variable "db_password" {
  description = "Master password of the RDS instance (from TF_VAR_db_password)"
  type        = string
  sensitive   = true
}

variable "password_min_length" {
  description = "IAM account password policy"
  type        = number
  default     = 14
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = var.password_min_length
  require_lowercase_characters   = true
  require_numbers                = true
  require_uppercase_characters   = true
  require_symbols                = true
  allow_users_to_change_password = true
  max_password_age               = 90
  password_reuse_prevention      = 24
}
''')
    tls_pem = rsa_key() + '\n'
    rds_pw = pw()
    leak('projects/infra/terraform.tfstate', c, f'''
{{
  "version": 4,
  "terraform_version": "1.7.5",
  "serial": {R.randint(10, 300)},
  "lineage": "{uid()}",
  "outputs": {{}},
  "resources": [
    {{
      "mode": "managed",
      "type": "aws_db_instance",
      "name": "shop",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {{
          "schema_version": 2,
          "attributes": {{
            "allocated_storage": 100,
            "engine": "postgres",
            "engine_version": "15.5",
            "identifier": "shop-prod",
            "instance_class": "db.t3.large",
            "password": "{S(rds_pw)}",
            "username": "shop_admin",
            "port": 5432
          }},
          "sensitive_attributes": []
        }}
      ]
    }},
    {{
      "mode": "managed",
      "type": "aws_iam_access_key",
      "name": "ci",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{
            "create_date": "{iso()}Z",
            "id": "{S(akia())}",
            "secret": "{S(aws_secret())}",
            "ses_smtp_password_v4": "{S('B' + rs(43, AL + '+/'))}",
            "status": "Active",
            "user": "ci"
          }},
          "sensitive_attributes": []
        }}
      ]
    }},
    {{
      "mode": "managed",
      "type": "tls_private_key",
      "name": "bastion",
      "provider": "provider[\\"registry.terraform.io/hashicorp/tls\\"]",
      "instances": [
        {{
          "schema_version": 1,
          "attributes": {{
            "algorithm": "RSA",
            "ecdsa_curve": "P224",
            "id": "{hexs(40)}",
            "private_key_pem": "{S(json_str(tls_pem), 'json-escape')}",
            "public_key_fingerprint_md5": "{':'.join(hexs(2) for _ in range(16))}",
            "rsa_bits": 2048
          }},
          "sensitive_attributes": []
        }}
      ]
    }}
  ],
  "check_results": null
}}
''')
    clean('projects/static-site/terraform.tfstate', c, f'''
{{
  "version": 4,
  "terraform_version": "1.6.6",
  "serial": 12,
  "lineage": "{uid()}",
  "outputs": {{
    "bucket_domain": {{
      "value": "www-{company()}.s3.amazonaws.com",
      "type": "string"
    }}
  }},
  "resources": [
    {{
      "mode": "managed",
      "type": "aws_s3_object",
      "name": "index",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{
            "bucket": "www-site",
            "content_type": "text/html",
            "etag": "{hexs(32)}",
            "id": "index.html",
            "key": "index.html",
            "source_hash": "{hexs(32)}",
            "checksum_sha256": "{b64rand(32)}",
            "version_id": "{rs(32, AL + '._')}"
          }},
          "sensitive_attributes": []
        }}
      ]
    }}
  ]
}}
''')
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('projects/infra/backend.tf', c, f'''
terraform {{
  backend "pg" {{
    conn_str = "postgres://terraform:{S(enc, 'percent')}@tfstate.{domain()}/terraform_backend?sslmode=require"
  }}
}}

provider "aws" {{
  region     = "eu-central-1"
  access_key = "{S(akia())}"
  secret_key = "{S(aws_secret())}"
}}
''')
    clean('projects/infra/.terraform.lock.hcl', c, '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n\n' + ''.join(
        f'provider "registry.terraform.io/hashicorp/{p}" {{\n  version     = "5.{R.randint(0, 40)}.0"\n  constraints = "~> 5.0"\n  hashes = [\n'
        + ''.join(f'    "{pre}:{b64rand(32) if pre == "h1" else hexs(64)}",\n' for pre in ['h1', 'zh', 'zh', 'zh']) + '  ]\n}\n\n' for p in ['aws', 'random']))
    # OpenStack, OCI, DigitalOcean, gh, Databricks, Vault and friends
    leak('home/erin/.config/openstack/clouds.yaml', c, f'''
clouds:
  ovh:
    auth:
      auth_url: https://auth.cloud.ovh.net/v3
      username: "user-{rs(12)}"
      password: "{S(rs(32))}"
      project_id: {hexs(32)}
      project_name: "{digits(16)}"
      user_domain_name: "Default"
      project_domain_name: "Default"
    region_name: "GRA11"
    interface: "public"
    identity_api_version: 3
  lab:
    auth:
      auth_url: https://keystone.lab.{domain()}:5000/v3
      application_credential_id: "{hexs(32)}"
      application_credential_secret: "{S(rs(86, AL + '-_'))}"
    auth_type: "v3applicationcredential"
    region_name: "RegionOne"
''')
    clean('home/oscar/.config/openstack/clouds.yaml', c, f'''
clouds:
  lab:
    auth:
      auth_url: https://keystone.lab.{domain()}:5000/v3
      username: oscar
      project_name: ci
      user_domain_name: Default
      project_domain_name: Default
    # password lives in secure.yaml, which is not in this repository
    region_name: RegionOne
    interface: public
    identity_api_version: 3
''')
    fp = ':'.join(hexs(2) for _ in range(16))
    leak('home/frank/.oci/config', c, f'''
[DEFAULT]
user=ocid1.user.oc1..aaaaaaaa{rs(52, LOW + DIG)}
fingerprint={fp}
tenancy=ocid1.tenancy.oc1..aaaaaaaa{rs(52, LOW + DIG)}
region=eu-frankfurt-1
key_file=~/.oci/oci_api_key.pem
pass_phrase={S(pw())}
''')
    leak('home/frank/.oci/oci_api_key.pem', c, S(pkcs8_key()) + '\nOCI_API_KEY\n')
    clean('home/frank/.oci/oci_api_key_public.pem', c, public_key_pem() + '\n')
    clean('projects/oci-tools/docs/config-sample', c, '''
[DEFAULT]
user=ocid1.user.oc1..<unique_ID>
fingerprint=<your_fingerprint>
key_file=~/.oci/oci_api_key.pem
tenancy=ocid1.tenancy.oc1..<unique_ID>
region=us-ashburn-1
''')
    leak('home/grace/.config/doctl/config.yaml', c, f'''
access-token: {S(dop())}
apps.dev.config.set.dev-config: ""
auth-contexts:
  default: {S(dop())}
  personal: {S(dop())}
context: default
output: text
spaces:
  access-key-id: {S(do_spaces_key())}
  secret-access-key: {S(rs(43, AL + '+/'))}
''')
    clean('home/heidi/.config/doctl/config.yaml', c, '''
access-token: ""
auth-contexts: {}
context: default
output: json
''')
    tok = gho()
    leak('home/alice/.config/gh/hosts.yml', c, f'''
github.com:
    users:
        alice-dev:
            oauth_token: {S(tok)}
    git_protocol: https
    oauth_token: {S(tok)}
    user: alice-dev
''')
    clean('home/alice/.config/gh/config.yml', c, '''
# The current version of the config schema
version: 1
# What protocol to use when performing git operations. Supported values: ssh, https
git_protocol: https
# What editor gh should run when creating issues, pull requests, etc. If blank, will refer to environment.
editor:
# When to interactively prompt. This is a global config that cannot be overridden by hostname. Supported values: enabled, disabled
prompt: enabled
# A pager program to send command output to, e.g. "less". If blank, will refer to environment. Set the value to "cat" to disable the pager.
pager:
# Aliases allow you to create nicknames for gh commands
aliases:
    co: pr checkout
# The path to a unix socket through which send HTTP connections. If blank, HTTP traffic will be handled by net/http.DefaultTransport.
http_unix_socket:
# What web browser gh should use when opening URLs. If blank, will refer to environment.
browser:
''')
    clean('home/bob/.config/gh/hosts.yml', c, '''
github.com:
    git_protocol: ssh
    users:
        bob-k:
    user: bob-k
''')
    leak('home/bob/.databrickscfg', c, f'''
[DEFAULT]
host  = https://adb-{digits(16)}.{R.randint(1, 19)}.azuredatabricks.net
token = {S(dapi())}

[staging]
host  = https://{company()}-staging.cloud.databricks.com
token = {S(dapi() + '-' + str(R.randint(2, 3)))}
''')
    clean('home/ivan/.databrickscfg', c, f'''
[DEFAULT]
host      = https://adb-{digits(16)}.{R.randint(1, 19)}.azuredatabricks.net
auth_type = databricks-cli

[ml]
host                 = https://{company()}-ml.cloud.databricks.com
azure_workspace_resource_id = /subscriptions/{uid()}/resourceGroups/ml/providers/Microsoft.Databricks/workspaces/ml
auth_type            = azure-cli
''')
    leak('home/carol/.vault-token', c, S(hvs()), final_newline=False)
    vault_key = pkcs8_key().replace('PRIVATE KEY', 'RSA PRIVATE KEY') + '\n'
    leak('home/carol/tmp/vault-issue-api.json', c, f'''
{{
  "request_id": "{uid()}",
  "lease_id": "",
  "lease_duration": 0,
  "renewable": false,
  "data": {{
    "certificate": "{json_str(certificate('api.internal') + chr(10))}",
    "expiration": {R.randint(1_700_000_000, 1_800_000_000)},
    "issuing_ca": "{json_str(certificate('Vault Intermediate') + chr(10))}",
    "private_key": "{S(json_str(vault_key), 'json-escape')}",
    "private_key_type": "rsa",
    "serial_number": "{':'.join(hexs(2) for _ in range(20))}"
  }},
  "warnings": null
}}
''')
    leak('home/erin/.aliyun/config.json', c, f'''
{{
	"current": "default",
	"profiles": [
		{{
			"name": "default",
			"mode": "AK",
			"access_key_id": "{S(alibaba_id())}",
			"access_key_secret": "{S(rs(30))}",
			"sts_token": "",
			"ram_role_name": "",
			"ram_role_arn": "",
			"ram_session_name": "",
			"private_key": "",
			"key_pair_name": "",
			"expired_seconds": 0,
			"verified": "",
			"region_id": "cn-hangzhou",
			"output_format": "json",
			"language": "en",
			"site": "",
			"retry_timeout": 0,
			"connect_timeout": 0,
			"retry_count": 0,
			"process_command": ""
		}}
	],
	"meta_path": ""
}}
''')
    leak('home/frank/.config/hcloud/cli.toml', c, f'''
active_context = "prod"

[[contexts]]
  name = "prod"
  token = "{S(rs(64))}"

[[contexts]]
  name = "lab"
  token = "{S(rs(64))}"
''')
    leak('home/alice/.config/scw/config.yaml', c, f'''
access_key: {S('SCW' + rs(17, UP + DIG))}
secret_key: {S(uid())}
default_organization_id: {uid()}
default_project_id: {uid()}
default_region: fr-par
default_zone: fr-par-1
''')
    leak('home/bob/.wrangler/config/default.toml', c, f'''
oauth_token = "{S(rs(43, AL + '-_') + '.' + rs(43, AL + '-_'))}"
expiration_time = "{iso()}.000Z"
refresh_token = "{S(rs(43, AL + '-_') + '.' + rs(43, AL + '-_'))}"
scopes = [ "account:read", "user:read", "workers:write", "workers_kv:write", "workers_routes:write", "workers_scripts:write", "zone:read", "offline_access" ]
''')
    fb = f'{company()}-app-{R.randint(100, 999)}'
    leak('projects/mobile-app/functions/serviceAccountKey.json', c, sa_key_json(fb, 'firebase-adminsdk-' + rs(5, LOW + DIG)))
    clean('projects/infra/azure/backend.tfvars', c, f'''
# OIDC from GitHub Actions: no client secret anywhere
resource_group_name  = "rg-tfstate"
storage_account_name = "{company()}tfstate"
container_name       = "tfstate"
key                  = "prod.terraform.tfstate"
use_oidc             = true
subscription_id      = "{uid()}"
tenant_id            = "{uid()}"
client_id            = "{uid()}"
''')
    sa_b64 = b64(sa_key_json(proj, 'ci-deployer', key_marked=False))
    leak('projects/infra/ci/cloudbuild.env', c, f'''
GCP_PROJECT={proj}
GCP_REGION=europe-west1
GOOGLE_CREDENTIALS_B64={S(sa_b64, 'base64')}
ARTIFACT_REPO=europe-west1-docker.pkg.dev/{proj}/images
''')
    clean('projects/infra/cloudformation/rds.yaml', c, '''
AWSTemplateFormatVersion: "2010-09-09"
Description: Shop database
Parameters:
  DBUsername:
    Type: String
    Default: shop_admin
  DBPassword:
    Type: String
    NoEcho: true
    MinLength: 16
    Description: Master password (pass with --parameter-overrides, never commit)
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.medium
      AllocatedStorage: "50"
      MasterUsername: !Ref DBUsername
      MasterUserPassword: "{{resolve:secretsmanager:prod/shop/db:SecretString:password}}"
      StorageEncrypted: true
''')
    clean('projects/infra/s3-head-object.json', c, f'''
{{
    "AcceptRanges": "bytes",
    "LastModified": "Tue, 12 Mar 2024 10:11:22 GMT",
    "ContentLength": 48213,
    "ETag": "\\"{hexs(32)}\\"",
    "ChecksumSHA256": "{b64rand(32)}",
    "VersionId": "{rs(32, AL + '._')}",
    "ContentType": "application/gzip",
    "ServerSideEncryption": "aws:kms",
    "SSEKMSKeyId": "arn:aws:kms:eu-west-1:{acct}:key/{uid()}",
    "Metadata": {{
        "sha256": "{hexs(64)}"
    }}
}}
''')


# ====================================================================== ci
def vault_blob(indent):
    lines = [hexs(80) for _ in range(R.randint(4, 6))] + [hexs(R.choice([38, 54, 70]))]
    return '\n'.join(indent + l for l in lines)


def sops(value_len=16, typ='str'):
    return f'ENC[AES256_GCM,data:{b64rand(value_len)},iv:{b64rand(32)},tag:{b64rand(16)},type:{typ}]'


def gen_ci():
    c = 'ci'
    # Jenkins
    leak('var/lib/jenkins/credentials.xml', c, f'''
<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">
  <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">
    <entry>
      <com.cloudbees.plugins.credentials.domains.Domain>
        <specifications/>
      </com.cloudbees.plugins.credentials.domains.Domain>
      <java.util.concurrent.CopyOnWriteArrayList>
        <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
          <scope>GLOBAL</scope>
          <id>nexus-deploy</id>
          <description>Nexus deployment user</description>
          <username>deployment</username>
          <password>{S(jenkins_secret())}</password>
          <usernameSecret>false</usernameSecret>
        </com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
        <org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl plugin="plain-credentials@179.vc5cb_98f6db_38">
          <scope>GLOBAL</scope>
          <id>slack-token</id>
          <description>Slack bot</description>
          <secret>{S(jenkins_secret(56))}</secret>
        </org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>
        <com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey plugin="ssh-credentials@337.v395d2403ccd4">
          <scope>GLOBAL</scope>
          <id>git-ssh</id>
          <description>deploy key</description>
          <username>git</username>
          <usernameSecret>false</usernameSecret>
          <privateKeySource class="com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey$DirectEntryPrivateKeySource">
            <privateKey>{S(jenkins_secret(1700))}</privateKey>
          </privateKeySource>
        </com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey>
      </java.util.concurrent.CopyOnWriteArrayList>
    </entry>
  </domainCredentialsMap>
</com.cloudbees.plugins.credentials.SystemCredentialsProvider>
''')
    leak('var/lib/jenkins/secrets/master.key', c, S(hexs(512)), final_newline=False)
    clean('var/lib/jenkins/secrets/initialAdminPassword.README', c, '''
The initial admin password was removed after setup (see /var/lib/jenkins/users/).
Jenkins writes it to secrets/initialAdminPassword on first start only.
''')
    leak(f'var/lib/jenkins/users/admin_{digits(19)}/config.xml', c, f'''
<?xml version='1.1' encoding='UTF-8'?>
<user>
  <version>10</version>
  <id>admin</id>
  <fullName>admin</fullName>
  <properties>
    <jenkins.security.ApiTokenProperty>
      <tokenStore>
        <tokenList>
          <jenkins.security.apitoken.ApiTokenStore_-HashedToken>
            <uuid>{uid()}</uuid>
            <name>ci-trigger</name>
            <creationDate>{iso()}.{R.randint(100, 999)}Z</creationDate>
            <value>
              <version>11</version>
              <hash>{hexs(64)}</hash>
            </value>
          </jenkins.security.apitoken.ApiTokenStore_-HashedToken>
        </tokenList>
      </tokenStore>
    </jenkins.security.ApiTokenProperty>
    <hudson.security.HudsonPrivateSecurityRealm_-Details>
      <passwordHash>{S('#jbcrypt:' + bcrypt(10, '2a'))}</passwordHash>
    </hudson.security.HudsonPrivateSecurityRealm_-Details>
    <hudson.tasks.Mailer_-UserProperty plugin="mailer@463.vedf8358e006b_">
      <emailAddress>ops@{domain()}</emailAddress>
    </hudson.tasks.Mailer_-UserProperty>
  </properties>
</user>
''')
    leak('var/lib/jenkins/jobs/deploy-prod/config.xml', c, f'''
<?xml version='1.1' encoding='UTF-8'?>
<project>
  <actions/>
  <description>Deploys the shop to production</description>
  <keepDependencies>false</keepDependencies>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
        <hudson.model.StringParameterDefinition>
          <name>VERSION</name>
          <defaultValue>latest</defaultValue>
          <trim>true</trim>
        </hudson.model.StringParameterDefinition>
        <hudson.model.PasswordParameterDefinition>
          <name>DB_PASSWORD</name>
          <description>database password for migrations</description>
          <defaultValue>{S(jenkins_secret())}</defaultValue>
        </hudson.model.PasswordParameterDefinition>
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <scm class="hudson.plugins.git.GitSCM" plugin="git@5.2.1">
    <configVersion>2</configVersion>
    <userRemoteConfigs>
      <hudson.plugins.git.UserRemoteConfig>
        <url>git@github.com:{company()}/shop.git</url>
        <credentialsId>git-ssh</credentialsId>
      </hudson.plugins.git.UserRemoteConfig>
    </userRemoteConfigs>
  </scm>
  <builders>
    <hudson.tasks.Shell>
      <command>set -e
./gradlew assemble
curl -fsS -u deployer:{S(pw())} -T build/libs/shop.jar https://nexus.{domain()}/repository/releases/shop-$VERSION.jar
ssh deploy@app01 "sudo systemctl restart shop"</command>
      <configuredLocalRules/>
    </hudson.tasks.Shell>
  </builders>
  <publishers/>
  <buildWrappers/>
</project>
''')
    leak('var/lib/jenkins/jobs/nightly-backup/config.xml', c, f'''
<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>pg_dump of the shop database to S3</description>
  <properties>
    <EnvInjectJobProperty plugin="envinject@2.908.v66a_774b_31d93">
      <info>
        <propertiesContent>PGHOST=db.internal
PGUSER=backup
PGPASSWORD={S(pw())}
AWS_ACCESS_KEY_ID={S(akia())}
AWS_SECRET_ACCESS_KEY={S(aws_secret())}</propertiesContent>
        <secureGroovyScript plugin="script-security@1321.va_73c0795b_923">
          <script></script>
          <sandbox>false</sandbox>
        </secureGroovyScript>
        <loadFilesFromMaster>false</loadFilesFromMaster>
      </info>
      <on>true</on>
      <keepJenkinsSystemVariables>true</keepJenkinsSystemVariables>
      <keepBuildVariables>true</keepBuildVariables>
      <overrideBuildParameters>false</overrideBuildParameters>
    </EnvInjectJobProperty>
  </properties>
  <triggers>
    <hudson.triggers.TimerTrigger>
      <spec>H 2 * * *</spec>
    </hudson.triggers.TimerTrigger>
  </triggers>
  <builders>
    <hudson.tasks.Shell>
      <command>pg_dump -Fc shop | aws s3 cp - s3://backups/shop-$(date +%F).dump</command>
    </hudson.tasks.Shell>
  </builders>
</project>
''')
    clean('var/lib/jenkins/jobs/build-web/config.xml', c, f'''
<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@1385.vb_58b_86ea_fff1">
  <description>web build</description>
  <keepDependencies>false</keepDependencies>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition" plugin="workflow-cps@3837.v305192405b_c0">
    <scm class="hudson.plugins.git.GitSCM" plugin="git@5.2.1">
      <configVersion>2</configVersion>
      <userRemoteConfigs>
        <hudson.plugins.git.UserRemoteConfig>
          <url>https://github.com/{company()}/web.git</url>
          <credentialsId>github-app</credentialsId>
        </hudson.plugins.git.UserRemoteConfig>
      </userRemoteConfigs>
    </scm>
    <scriptPath>Jenkinsfile</scriptPath>
    <lightweight>true</lightweight>
  </definition>
  <triggers/>
  <disabled>false</disabled>
</flow-definition>
''')
    clean('projects/web/Jenkinsfile', c, '''
pipeline {
  agent any
  environment {
    NEXUS = credentials('nexus-deploy')   // sets NEXUS_USR and NEXUS_PSW
  }
  stages {
    stage('Build') {
      steps { sh './gradlew build' }
    }
    stage('Publish') {
      steps {
        withCredentials([usernamePassword(credentialsId: 'nexus-deploy', usernameVariable: 'USER', passwordVariable: 'PASS')]) {
          sh 'curl -fsS -u "$USER:$PASS" -T build/libs/app.jar "$NEXUS_URL/app.jar"'
        }
        withCredentials([string(credentialsId: 'slack-token', variable: 'SLACK_TOKEN')]) {
          sh './notify.sh'
        }
      }
    }
  }
}
''')
    # Ansible
    hosts = [f'web0{i}' for i in range(1, 4)]
    leak('ansible/inventory/production.ini', c, '[webservers]\n' + ''.join(
        f'{h} ansible_host={ip()} ansible_user=deploy ansible_password={S(alnum_pw())}\n' for h in hosts) + f'''
[dbservers]
db01 ansible_host={ip()} ansible_user=root ansible_ssh_pass={S(pw())}

[all:vars]
ansible_become=true
ansible_become_pass={S(pw())}
ansible_python_interpreter=/usr/bin/python3
''')
    leak('ansible/inventory/windows.ini', c, f'''
[windows]
win-build01.corp.local
win-build02.corp.local

[windows:vars]
ansible_user=CORP\\svc-ansible
ansible_password={S(pw())}
ansible_connection=winrm
ansible_winrm_transport=ntlm
ansible_winrm_server_cert_validation=ignore
ansible_port=5986
''')
    clean('ansible/inventory/staging.ini', c, f'''
[webservers]
stg-web01 ansible_host={ip()}
stg-web02 ansible_host={ip()}

[all:vars]
ansible_user=deploy
ansible_ssh_private_key_file=~/.ssh/deploy_ed25519
ansible_become=true
''')
    leak('ansible/group_vars/all.yml', c, f'''
---
ntp_servers:
  - 0.pool.ntp.org
  - 1.pool.ntp.org
timezone: Europe/Berlin

mysql_root_password: {S(alnum_pw())}
mysql_users:
  - name: shop
    host: "%"
    password: "{S(pw())}"
    priv: "shop.*:ALL"

smtp_relay_host: smtp.sendgrid.net
smtp_relay_user: apikey
smtp_relay_password: {S(sendgrid())}
''')
    leak('ansible/host_vars/db01.yml', c, f'''
---
postgresql_version: 15
postgresql_users:
  - name: replicator
    password: "{S(pw())}"
    role_attr_flags: REPLICATION
postgresql_hba_entries:
  - {{ type: hostssl, database: replication, user: replicator, address: "10.0.0.0/8", auth_method: scram-sha-256 }}
backup_encryption_passphrase: "{S(strong())}"
''')
    leak('ansible/group_vars/webservers/vars.yml', c, f'''
---
nginx_worker_processes: auto
app_env: production
app_secret_key: "{S(hexs(64))}"
newrelic_license_key: "{S(hexs(36) + 'NRAL')}"
''')
    clean('ansible/group_vars/all/vault.yml', c, f'''
---
vault_mysql_root_password: !vault |
          $ANSIBLE_VAULT;1.1;AES256
{vault_blob(' ' * 10)}
vault_smtp_relay_password: !vault |
          $ANSIBLE_VAULT;1.2;AES256;prod
{vault_blob(' ' * 10)}
''')
    clean('ansible/group_vars/all/vars.yml', c, '''
---
mysql_root_password: "{{ vault_mysql_root_password }}"
smtp_relay_password: "{{ vault_smtp_relay_password }}"
ansible_become_password: "{{ lookup('community.general.passwordstore', 'infra/become') }}"
password_min_length: 14
password_max_age_days: 90
''')
    clean('ansible/host_vars/web01/secrets.yml', c, '$ANSIBLE_VAULT;1.1;AES256\n' + vault_blob('') + '\n')
    clean('ansible/roles/app/templates/app.env.j2', c, '''
APP_ENV={{ app_env }}
APP_SECRET={{ app_secret_key }}
DATABASE_URL=mysql://shop:{{ mysql_users[0].password | urlencode }}@{{ groups['dbservers'][0] }}/shop
''')
    # docker compose
    leak('deploy/docker-compose.yml', c, f'''
services:
  db:
    image: postgres:16
    restart: unless-stopped
    environment:
      POSTGRES_DB: shop
      POSTGRES_USER: shop
      POSTGRES_PASSWORD: {S(alnum_pw())}
    volumes:
      - pgdata:/var/lib/postgresql/data

  app:
    image: registry.gitlab.com/{company()}/shop:1.14.2
    depends_on: [db]
    environment:
      DATABASE_HOST: db
      SECRET_KEY_BASE: {S(hexs(128))}
      STRIPE_SECRET_KEY: {S(stripe())}
      RAILS_ENV: production
    ports:
      - "3000:3000"

volumes:
  pgdata:
''')
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('deploy/docker-compose.prod.yml', c, f'''
version: "3.8"
services:
  mysql:
    image: mysql:8.0
    environment:
      - MYSQL_ROOT_PASSWORD={S(alnum_pw())}
      - MYSQL_DATABASE=wordpress
      - MYSQL_USER=wordpress
      - MYSQL_PASSWORD={S(alnum_pw())}
    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "-h", "localhost", "-p$$MYSQL_ROOT_PASSWORD"]
  worker:
    image: ghcr.io/{company()}/worker:latest
    environment:
      - DATABASE_URL=postgres://worker:{S(enc, 'percent')}@pg.internal:5432/jobs
      - REDIS_URL=redis://redis:6379/0
      - SENTRY_DSN=https://{hexs(32)}@o{digits(6)}.ingest.sentry.io/{digits(7)}
''')
    clean('deploy/docker-compose.dev.yml', c, '''
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ${DB_USER:-app}
      POSTGRES_PASSWORD: ${DB_PASS}
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
  app:
    build: .
    env_file: .env
    environment:
      - SECRET_KEY_BASE=${SECRET_KEY_BASE:?set it in .env}
secrets:
  db_password:
    file: ./secrets/db_password.txt
''')
    # Kubernetes
    dbu, dbp = 'shop', pw()
    leak('k8s/shop/db-secret.yaml', c, f'''
apiVersion: v1
kind: Secret
metadata:
  name: shop-db
  namespace: shop
  labels:
    app.kubernetes.io/name: shop
type: Opaque
data:
  DB_HOST: {b64('postgres.shop.svc.cluster.local')}
  DB_PORT: {b64('5432')}
  DB_USER: {b64(dbu)}
  DB_PASSWORD: {S(b64(dbp), 'base64')}
  SECRET_KEY_BASE: {S(b64(hexs(128)), 'base64')}
  SMTP_PASSWORD: {S(b64(sendgrid()), 'base64')}
''')
    leak('k8s/monitoring/grafana-admin.yaml', c, f'''
apiVersion: v1
kind: Secret
metadata:
  name: grafana-admin
  namespace: monitoring
type: Opaque
stringData:
  admin-user: admin
  admin-password: "{S(pw())}"
  ldap-toml: |
    [[servers]]
    host = "ldap.corp.local"
    port = 636
    use_ssl = true
    bind_dn = "cn=grafana,ou=services,dc=corp,dc=local"
    bind_password = "{S(pw())}"
''')
    proj = f'{company()}-prod-{R.randint(1000, 9999)}'
    leak('k8s/external-dns/gcp-credentials.yaml', c, f'''
apiVersion: v1
kind: Secret
metadata:
  name: external-dns-gcp
  namespace: kube-system
type: Opaque
data:
  credentials.json: {S(b64(sa_key_json(proj, 'external-dns', key_marked=False)), 'base64')}
''')
    reg = {'auths': {'ghcr.io': {'username': 'ci-bot', 'password': ghp(), 'auth': ''}}}
    reg['auths']['ghcr.io']['auth'] = b64('ci-bot:' + reg['auths']['ghcr.io']['password'])
    leak('k8s/shop/regcred.yaml', c, f'''
apiVersion: v1
kind: Secret
metadata:
  name: regcred
  namespace: shop
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: {S(b64(json.dumps(reg, separators=(',', ':'))), 'base64')}
''')
    leak('k8s/argocd/repo-infra.yaml', c, f'''
apiVersion: v1
kind: Secret
metadata:
  name: repo-infra
  namespace: argocd
  labels:
    argocd.argoproj.io/secret-type: repository
stringData:
  type: git
  url: https://gitlab.{domain()}/platform/infra.git
  username: argocd
  password: {S(glpat())}
''')
    clean('k8s/shop/sealed-db-secret.yaml', c, f'''
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: shop-db
  namespace: shop
spec:
  encryptedData:
    DB_PASSWORD: AgB{b64rand(380)}
    SECRET_KEY_BASE: AgC{b64rand(440)}
  template:
    metadata:
      name: shop-db
      namespace: shop
    type: Opaque
''')
    clean('k8s/shop/external-secret.yaml', c, '''
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: shop-db
  namespace: shop
spec:
  refreshInterval: 1h
  secretStoreRef:
    name: vault-backend
    kind: ClusterSecretStore
  target:
    name: shop-db
  data:
    - secretKey: DB_PASSWORD
      remoteRef:
        key: secret/data/shop/db
        property: password
''')
    clean('charts/shop/templates/secret.yaml', c, '''
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
type: Opaque
data:
  DB_PASSWORD: {{ .Values.db.password | b64enc | quote }}
  SECRET_KEY_BASE: {{ required "secretKeyBase is required" .Values.secretKeyBase | b64enc | quote }}
''')
    clean('charts/shop/values.yaml', c, '''
replicaCount: 2
image:
  repository: ghcr.io/acme/shop
  tag: ""
db:
  host: postgres
  user: shop
  # set with --set db.password=... or an existing secret
  password: ""
  existingSecret: ""
secretKeyBase: ""
''')
    leak('charts/shop/values-prod.yaml', c, f'''
replicaCount: 4
db:
  host: shop-prod.{hexs(12)}.eu-west-1.rds.amazonaws.com
  user: shop
  password: "{S(pw())}"
secretKeyBase: {S(hexs(128))}
postgresql:
  enabled: false
  auth:
    postgresPassword: {S(alnum_pw())}
''')
    clean('k8s/shop/kustomization.yaml', c, '''
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
  - deployment.yaml
  - service.yaml
secretGenerator:
  - name: shop-db
    envs:
      - secrets.env   # not committed; created by the deploy job
generatorOptions:
  disableNameSuffixHash: false
''')
    # secrets encrypted with sops / eyaml
    clean('deploy/secrets/prod.enc.yaml', c, f'''
db:
    password: {sops(18)}
    user: {sops(4)}
stripe_secret_key: {sops(107)}
sops:
    kms: []
    gcp_kms: []
    azure_kv: []
    hc_vault: []
    age:
        - recipient: age1{rs(58, LOW + DIG)}
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            {b64rand(48)}
            {b64rand(48)}
            {b64rand(48)}
            {b64rand(24)}
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "{iso()}Z"
    mac: ENC[AES256_GCM,data:{b64rand(64)},iv:{b64rand(32)},tag:{b64rand(16)},type:str]
    pgp: []
    unencrypted_suffix: _unencrypted
    version: 3.8.1
''')
    clean('puppet/data/common.eyaml', c, f'''
---
profile::db::password: >
    ENC[PKCS7,MIIBiQYJKoZIhvcNAQcDoIIBejCCAXYCAQAxggEhMIIBHQIBADAFMAACAQEw
    DQYJKoZIhvcNAQEBBQAEggEA{b64rand(180)}
    {b64rand(120)}]
profile::mail::relay_password: ENC[PKCS7,MIIBeQYJKoZIhvcNAQcDoIIBajCCAWYCAQAxggEhMIIBHQIBADAFMAACAQEwDQYJKoZIhvcNAQEBBQAEggEA{b64rand(300)}]
''')
    leak('puppet/hieradata/common.yaml', c, f'''
---
classes:
  - profile::base
ntp::servers:
  - 0.pool.ntp.org
mysql::server::root_password: '{S(pw())}'
profile::app::db_password: '{S(pw())}'
profile::monitoring::datadog_api_key: '{S(hexs(32))}'
profile::users::deploy_password_hash: '{S(sha512crypt())}'
''')
    leak('puppet/data/nodes/ldap01.corp.local.yaml', c, f'''
---
openldap::server::rootdn: 'cn=admin,dc=corp,dc=local'
openldap::server::rootpw: '{S('{SSHA}' + b64rand(24))}'
profile::ldap::replication_password: '{S(pw())}'
''')
    leak('salt/pillar/mysql.sls', c, f'''
mysql:
  server:
    root_password: '{S(pw())}'
  user:
    shop:
      password: '{S(pw())}'
      host: '%'
      databases:
        - database: shop
          grants: ['all privileges']
''')
    leak('chef/data_bags/passwords/mysql.json', c, f'''
{{
  "id": "mysql",
  "root": "{S(pw())}",
  "repl": "{S(pw())}",
  "debian": "{S(rs(16))}"
}}
''')
    # Vagrant
    leak('projects/lab/Vagrantfile', c, f'''
# -*- mode: ruby -*-
# vi: set ft=ruby :

Vagrant.configure("2") do |config|
  config.vm.box = "generic/ubuntu2204"
  config.vm.hostname = "lab"

  config.ssh.username = "labadmin"
  config.ssh.password = "{S(pw())}"
  config.ssh.insert_key = false

  config.vm.provider :vsphere do |vsphere|
    vsphere.host = "vcenter.corp.local"
    vsphere.compute_resource_name = "lab-cluster"
    vsphere.template_name = "templates/ubuntu-22.04"
    vsphere.user = "svc-vagrant@vsphere.local"
    vsphere.password = "{S(pw())}"
    vsphere.insecure = true
  end

  config.vm.provision "shell", inline: <<-SHELL
    apt-get update -q
    apt-get install -y nginx
  SHELL
end
''')
    leak('projects/aws-lab/Vagrantfile', c, f'''
Vagrant.configure("2") do |config|
  config.vm.box = "dummy"
  config.vm.provider :aws do |aws, override|
    aws.access_key_id = "{S(akia())}"
    aws.secret_access_key = "{S(aws_secret())}"
    aws.keypair_name = "lab"
    aws.ami = "ami-{hexs(17)}"
    aws.region = "eu-west-1"
    override.ssh.username = "ubuntu"
    override.ssh.private_key_path = "~/.ssh/lab.pem"
  end
end
''')
    clean('projects/dev-box/Vagrantfile', c, '''
# -*- mode: ruby -*-
# vi: set ft=ruby :
Vagrant.configure("2") do |config|
  config.vm.box = "bento/debian-12"
  config.vm.network "forwarded_port", guest: 80, host: 8080
  config.vm.synced_folder ".", "/vagrant"
  config.vm.provider "virtualbox" do |vb|
    vb.memory = "2048"
    vb.cpus = 2
  end
  config.vm.provision "ansible_local" do |ansible|
    ansible.playbook = "provision.yml"
  end
end
''')
    # GitLab runner
    leak('etc/gitlab-runner/config.toml', c, f'''
concurrent = 4
check_interval = 0
shutdown_timeout = 0

[session_server]
  session_timeout = 1800

[[runners]]
  name = "docker-runner-01"
  url = "https://gitlab.{domain()}/"
  id = {R.randint(10, 900)}
  token = "{S(glrt())}"
  token_obtained_at = {iso()}Z
  token_expires_at = 0001-01-01T00:00:00Z
  executor = "docker"
  [runners.cache]
    MaxUploadedArchiveSize = 0
    Type = "s3"
    Shared = true
    [runners.cache.s3]
      ServerAddress = "s3.amazonaws.com"
      AccessKey = "{S(akia())}"
      SecretKey = "{S(aws_secret())}"
      BucketName = "runner-cache"
      BucketLocation = "eu-west-1"
  [runners.docker]
    tls_verify = false
    image = "alpine:3.19"
    privileged = true
    disable_entrypoint_overwrite = false
    oom_kill_disable = false
    disable_cache = false
    volumes = ["/cache"]
    shm_size = 0

[[runners]]
  name = "shell-legacy"
  url = "https://gitlab.{domain()}/"
  token = "{S(runner_legacy())}"
  executor = "shell"
''')
    clean('projects/ops-handbook/gitlab/runner.md', c, '''
# Registering a runner

```shell
gitlab-runner register --url https://gitlab.example.com --token "$RUNNER_TOKEN"
```

The resulting `/etc/gitlab-runner/config.toml` contains:

```toml
[[runners]]
  name = "my-runner"
  url = "https://gitlab.example.com"
  token = "<runner-authentication-token>"
  executor = "docker"
```

Keep the real file out of git; it is the runner's credential.
''')
    leak('.gitlab-ci.yml', c, f'''
stages: [build, deploy]

variables:
  DOCKER_DRIVER: overlay2
  REGISTRY_USER: ci-push
  REGISTRY_PASSWORD: "{S(pw())}"

build:
  stage: build
  image: docker:24
  services: [docker:24-dind]
  script:
    - docker login -u "$REGISTRY_USER" -p "$REGISTRY_PASSWORD" registry.{domain()}
    - docker build -t registry.{domain()}/shop:$CI_COMMIT_SHORT_SHA .
    - docker push registry.{domain()}/shop:$CI_COMMIT_SHORT_SHA

deploy:
  stage: deploy
  script:
    - curl -fsS -X POST -H "Authorization: Bearer {S(rs(40))}" https://deploy.{domain()}/hooks/shop
  only: [main]
''')
    clean('projects/web/.gitlab-ci.yml', c, '''
build:
  image: docker:24
  services: [docker:24-dind]
  script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA" .
    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"
  cache:
    key:
      files: [package-lock.json]
    paths: [node_modules/]
''')
    clean('projects/web/.github/workflows/ci.yml', c, '''
name: ci
on: [push, pull_request]
permissions:
  contents: read
  id-token: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
      - uses: actions/setup-node@60edb5dd545a775178f52524783378180af0d1f8 # v4.0.2
        with:
          node-version: 20
      - uses: actions/cache@13aacd865c20de90d75de3b17ebe84f7a17d57d2 # v4.0.0
        with:
          path: ~/.npm
          key: ${{ runner.os }}-node-${{ hashFiles('**/package-lock.json') }}
          restore-keys: ${{ runner.os }}-node-
      - run: npm ci && npm test
      - name: publish
        if: github.ref == 'refs/heads/main'
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
          DOCKER_PASSWORD: ${{ secrets.DOCKERHUB_TOKEN }}
        run: npm publish
''')
    leak('projects/api/.github/workflows/deploy.yml', c, f'''
name: deploy
on:
  push:
    branches: [main]
env:
  AWS_REGION: eu-west-1
  AWS_ACCESS_KEY_ID: {S(akia())}
  AWS_SECRET_ACCESS_KEY: {S(aws_secret())}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: aws ecs update-service --cluster prod --service api --force-new-deployment
      - name: notify
        run: |
          curl -X POST -H 'Content-type: application/json' \\
            --data '{{"text":"api deployed"}}' \\
            https://hooks.slack.com/services/T{rs(8, UP + DIG)}/B{rs(10, UP + DIG)}/{S(rs(24))}
''')
    clean('projects/lib/.travis.yml', c, f'''
language: python
python: ["3.11", "3.12"]
install: pip install -e .[test]
script: pytest -q
deploy:
  provider: pypi
  username: __token__
  password:
    secure: "{b64rand(256)}"
  on:
    tags: true
env:
  global:
    - secure: "{b64rand(256)}"
''')
    u, p = 'svc-monitor', pw()
    leak('scripts/check-health.sh', c, f'''
#!/usr/bin/env bash
# Polls the admin API of every node; run from cron on the bastion.
set -euo pipefail
NODES="app01 app02 app03"
for n in $NODES; do
  code=$(curl -s -o /dev/null -w '%{{http_code}}' \\
    -H "Authorization: Basic {S(b64(u + ':' + p), 'base64')}" \\
    "https://$n.internal:8443/admin/health")
  [ "$code" = 200 ] || echo "$n unhealthy ($code)" | mail -s "health" ops@{domain()}
done
''')
    clean('scripts/rotate-keys.sh', c, '''
#!/usr/bin/env bash
# Rotates the API key of the monitoring user. Reads the current credentials from Vault.
set -euo pipefail
: "${VAULT_ADDR:?}"
creds=$(vault kv get -format=json secret/monitoring/api)
user=$(jq -r .data.data.username <<<"$creds")
pass=$(jq -r .data.data.password <<<"$creds")
curl -fsS -u "$user:$pass" -X POST "https://admin.internal/api/keys/rotate"
echo "rotated; nonce=$(openssl rand -hex 16)"
''')


# ====================================================================== framework
WP_CHARS = LOW + UP + DIG + '!@#$%^&*()-_ []{}<>~`+=,.;:/?|'
WP_KEYS = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
DJANGO_CHARS = LOW + DIG + '!@#%^&*(-_=+)'


def wp_config(dbname, dbuser, passval, keys, prefix='wp_', host='localhost'):
    keylines = '\n'.join(f"define( '{k}',{' ' * (17 - len(k))}'{v}' );" for k, v in zip(WP_KEYS, keys))
    return f'''<?php
/**
 * The base configuration for WordPress
 *
 * The wp-config.php creation script uses this file during the installation.
 * You don't have to use the website, you can copy this file to "wp-config.php"
 * and fill in the values.
 *
 * This file contains the following configurations:
 *
 * * Database settings
 * * Secret keys
 * * Database table prefix
 * * ABSPATH
 *
 * @link https://wordpress.org/documentation/article/editing-wp-config-php/
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
/** The name of the database for WordPress */
define( 'DB_NAME', '{dbname}' );

/** Database username */
define( 'DB_USER', '{dbuser}' );

/** Database password */
define( 'DB_PASSWORD', '{passval}' );

/** Database hostname */
define( 'DB_HOST', '{host}' );

/** Database charset to use in creating database tables. */
define( 'DB_CHARSET', 'utf8mb4' );

/** The database collate type. Don't change this if in doubt. */
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts.
 *
 * Change these to different unique phrases! You can generate these using
 * the {{@link https://api.wordpress.org/secret-key/1.1/salt/ WordPress.org secret-key service}}.
 *
 * You can change these at any point in time to invalidate all existing cookies.
 * This will force all users to have to log in again.
 *
 * @since 2.6.0
 */
{keylines}

/**#@-*/

/**
 * WordPress database table prefix.
 *
 * You can have multiple installations in one database if you give each
 * a unique prefix. Only numbers, letters, and underscores please!
 */
$table_prefix = '{prefix}';

/**
 * For developers: WordPress debugging mode.
 *
 * Change this to true to enable the display of notices during development.
 * It is strongly recommended that plugin and theme developers use WP_DEBUG
 * in their development environments.
 *
 * For information on other constants that can be used for debugging,
 * visit the documentation.
 *
 * @link https://wordpress.org/documentation/article/debugging-in-wordpress/
 */
define( 'WP_DEBUG', false );

/* Add any custom values between this line and the "stop editing" line. */



/* That's all, stop editing! Happy publishing. */

/** Absolute path to the WordPress directory. */
if ( ! defined( 'ABSPATH' ) ) {{
	define( 'ABSPATH', __DIR__ . '/' );
}}

/** Sets up WordPress vars and included files. */
require_once ABSPATH . 'wp-settings.php';
'''


def wp_key():
    return rs(64, WP_CHARS)


def gen_framework():
    c = 'framework'
    d = domain()
    # Laravel
    leak('projects/shop/.env', c, f'''
APP_NAME=Shop
APP_ENV=production
APP_KEY={S('base64:' + b64rand(32))}
APP_DEBUG=false
APP_URL=https://shop.{d}

LOG_CHANNEL=stack
LOG_LEVEL=error

DB_CONNECTION=mysql
DB_HOST=127.0.0.1
DB_PORT=3306
DB_DATABASE=shop
DB_USERNAME=shop
DB_PASSWORD={S(alnum_pw())}

BROADCAST_DRIVER=pusher
CACHE_DRIVER=redis
QUEUE_CONNECTION=redis
SESSION_DRIVER=redis
SESSION_LIFETIME=120

REDIS_HOST=127.0.0.1
REDIS_PASSWORD={S(rs(32))}
REDIS_PORT=6379

MAIL_MAILER=smtp
MAIL_HOST=smtp.mailgun.org
MAIL_PORT=587
MAIL_USERNAME=postmaster@mg.{d}
MAIL_PASSWORD={S(pw())}
MAIL_ENCRYPTION=tls
MAIL_FROM_ADDRESS="shop@{d}"
MAIL_FROM_NAME="${{APP_NAME}}"

AWS_ACCESS_KEY_ID={S(akia())}
AWS_SECRET_ACCESS_KEY={S(aws_secret())}
AWS_DEFAULT_REGION=eu-central-1
AWS_BUCKET=shop-media

PUSHER_APP_ID={digits(7)}
PUSHER_APP_KEY={hexs(20)}
PUSHER_APP_SECRET={S(pusher_secret())}
PUSHER_APP_CLUSTER=eu

STRIPE_KEY=pk_live_51{rs(97)}
STRIPE_SECRET={S(stripe())}
''')
    clean('projects/shop/.env.example', c, '''
APP_NAME=Laravel
APP_ENV=local
APP_KEY=
APP_DEBUG=true
APP_URL=http://localhost

LOG_CHANNEL=stack
LOG_DEPRECATIONS_CHANNEL=null
LOG_LEVEL=debug

DB_CONNECTION=mysql
DB_HOST=127.0.0.1
DB_PORT=3306
DB_DATABASE=laravel
DB_USERNAME=root
DB_PASSWORD=

BROADCAST_DRIVER=log
CACHE_DRIVER=file
FILESYSTEM_DISK=local
QUEUE_CONNECTION=sync
SESSION_DRIVER=file
SESSION_LIFETIME=120

MEMCACHED_HOST=127.0.0.1

REDIS_HOST=127.0.0.1
REDIS_PASSWORD=null
REDIS_PORT=6379

MAIL_MAILER=smtp
MAIL_HOST=mailpit
MAIL_PORT=1025
MAIL_USERNAME=null
MAIL_PASSWORD=null
MAIL_ENCRYPTION=null
MAIL_FROM_ADDRESS="hello@example.com"
MAIL_FROM_NAME="${APP_NAME}"

AWS_ACCESS_KEY_ID=
AWS_SECRET_ACCESS_KEY=
AWS_DEFAULT_REGION=us-east-1
AWS_BUCKET=
AWS_USE_PATH_STYLE_ENDPOINT=false

PUSHER_APP_ID=
PUSHER_APP_KEY=
PUSHER_APP_SECRET=
PUSHER_HOST=
PUSHER_PORT=443
PUSHER_SCHEME=https
PUSHER_APP_CLUSTER=mt1
''')
    leak('projects/crm/config/database.php', c, f'''
<?php

use Illuminate\\Support\\Str;

return [

    'default' => env('DB_CONNECTION', 'mysql'),

    'connections' => [

        'mysql' => [
            'driver' => 'mysql',
            'url' => env('DATABASE_URL'),
            'host' => env('DB_HOST', '10.0.4.12'),
            'port' => env('DB_PORT', '3306'),
            'database' => env('DB_DATABASE', 'crm'),
            'username' => env('DB_USERNAME', 'crm'),
            'password' => env('DB_PASSWORD', '{S(pw())}'),
            'unix_socket' => env('DB_SOCKET', ''),
            'charset' => 'utf8mb4',
            'collation' => 'utf8mb4_unicode_ci',
            'prefix' => '',
            'strict' => true,
        ],

    ],

    'migrations' => 'migrations',

];
''')
    # WordPress
    leak('projects/blog/wp-config.php', c, wp_config('blog_wp', 'blog_wp', S(pw()), [S(wp_key()) for _ in WP_KEYS]))
    leak('var/www/html/wp-config.php', c, wp_config(f'{company()}_wp', 'wpuser', S(weak()), [S(wp_key()) for _ in WP_KEYS],
                                                    prefix='wp7x_', host='mysql.' + d))
    clean('var/www/html/wp-config-sample.php', c, wp_config('database_name_here', 'username_here', 'password_here',
                                                             ['put your unique phrase here'] * 8))
    # Django
    leak('projects/portal/portal/settings.py', c, f'''
"""
Django settings for portal project.

Generated by 'django-admin startproject' using Django 4.2.7.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = '{S('django-insecure-' + rs(50, DJANGO_CHARS))}'

# SECURITY WARNING: don't run with debug turned on in production!
DEBUG = False

ALLOWED_HOSTS = ['portal.{d}']

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
    'portal.accounts',
]

DATABASES = {{
    'default': {{
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'portal',
        'USER': 'portal',
        'PASSWORD': '{S(pw())}',
        'HOST': 'db.{d}',
        'PORT': '5432',
    }}
}}

AUTH_PASSWORD_VALIDATORS = [
    {{'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'}},
    {{'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator', 'OPTIONS': {{'min_length': 12}}}},
    {{'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'}},
]

EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
EMAIL_HOST = 'smtp.office365.com'
EMAIL_PORT = 587
EMAIL_USE_TLS = True
EMAIL_HOST_USER = 'portal@{d}'
EMAIL_HOST_PASSWORD = '{S(pw())}'

AWS_ACCESS_KEY_ID = '{S(akia())}'
AWS_SECRET_ACCESS_KEY = '{S(aws_secret())}'
AWS_STORAGE_BUCKET_NAME = 'portal-media'
''')
    leak('projects/intranet/intranet/local_settings.py', c, f'''
# local overrides -- not for version control
from .settings import *  # noqa

SECRET_KEY = "{S(rs(50, DJANGO_CHARS))}"
DATABASES["default"]["PASSWORD"] = "{S(alnum_pw())}"
SENTRY_DSN = "https://{hexs(32)}@o{digits(6)}.ingest.sentry.io/{digits(7)}"
''')
    clean('projects/blogapp/blogapp/settings.py', c, '''
import os
from pathlib import Path

import environ

env = environ.Env(DEBUG=(bool, False))
BASE_DIR = Path(__file__).resolve().parent.parent
environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = env("DEBUG")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("POSTGRES_DB", "blog"),
        "USER": os.environ.get("POSTGRES_USER", "blog"),
        "PASSWORD": os.environ["POSTGRES_PASSWORD"],
        "HOST": os.getenv("POSTGRES_HOST", "localhost"),
    }
}

EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SECURE = True
PASSWORD_RESET_TIMEOUT = 3600
''')
    clean('projects/blogapp/blog/tests/test_forms.py', c, '''
from django.contrib.auth import get_user_model
from django.test import TestCase


class LoginFormTests(TestCase):
    def setUp(self):
        self.user = get_user_model().objects.create_user(
            username="testuser", email="test@example.com", password="testpass123"
        )

    def test_login_ok(self):
        ok = self.client.login(username="testuser", password="testpass123")
        self.assertTrue(ok)

    def test_wrong_password(self):
        ok = self.client.login(username="testuser", password="wrong-password")
        self.assertFalse(ok)

    def test_csrf(self):
        resp = self.client.get("/login/")
        self.assertContains(resp, "csrfmiddlewaretoken")
''')
    # Rails
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('projects/shop/config/database.yml', c, f'''
default: &default
  adapter: postgresql
  encoding: unicode
  pool: <%= ENV.fetch("RAILS_MAX_THREADS") {{ 5 }} %>

development:
  <<: *default
  database: shop_development

test:
  <<: *default
  database: shop_test

production:
  <<: *default
  database: shop_production
  username: shop
  password: {S(alnum_pw())}
  host: db.{d}

reporting:
  <<: *default
  url: postgres://report:{S(enc, 'percent')}@replica.{d}:5432/shop_production
''')
    clean('projects/store/config/database.yml', c, '''
default: &default
  adapter: postgresql
  encoding: unicode
  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>

development:
  <<: *default
  database: store_development

test:
  <<: *default
  database: store_test

production:
  <<: *default
  database: store_production
  username: store
  password: <%= ENV.fetch("STORE_DATABASE_PASSWORD") %>
''')
    leak('projects/shop/config/secrets.yml', c, f'''
# Be sure to restart your server when you modify this file.
#
# Your secret key is used for verifying the integrity of signed cookies.
# If you change this key, all old signed cookies will become invalid!

development:
  secret_key_base: {S(hexs(128))}

test:
  secret_key_base: {S(hexs(128))}

# Do not keep production secrets in the repository,
# instead read values from the environment.
production:
  secret_key_base: {S(hexs(128))}
  devise_pepper: {S(hexs(128))}
''')
    clean('projects/store/config/secrets.yml', c, '''
development:
  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>

test:
  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>

production:
  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>
''')
    leak('projects/shop/config/storage.yml', c, f'''
test:
  service: Disk
  root: <%= Rails.root.join("tmp/storage") %>

local:
  service: Disk
  root: <%= Rails.root.join("storage") %>

amazon:
  service: S3
  access_key_id: {S(akia())}
  secret_access_key: {S(aws_secret())}
  region: eu-central-1
  bucket: shop-{hexs(6)}

microsoft:
  service: AzureStorage
  storage_account_name: {company()}media
  storage_access_key: {S(azure_storage_key())}
  container: uploads
''')
    clean('projects/store/config/storage.yml', c, '''
local:
  service: Disk
  root: <%= Rails.root.join("storage") %>

amazon:
  service: S3
  access_key_id: <%= Rails.application.credentials.dig(:aws, :access_key_id) %>
  secret_access_key: <%= Rails.application.credentials.dig(:aws, :secret_access_key) %>
  region: us-east-1
  bucket: your_own_bucket-<%= Rails.env %>
''')
    leak('projects/shop/config/master.key', c, S(hexs(32)), final_newline=False)
    clean('projects/store/config/credentials.yml.enc', c, f'{b64rand(R.choice([300, 420]))}--{b64rand(12)}--{b64rand(16)}', final_newline=False)
    clean('projects/store/app/views/sessions/new.html', c, f'''
<!DOCTYPE html>
<html>
<head>
  <title>Store</title>
  <meta name="csrf-param" content="authenticity_token" />
  <meta name="csrf-token" content="{b64url_nopad(rbytes(64))}" />
  <link rel="stylesheet" href="/assets/application-{hexs(64)}.css" data-turbo-track="reload" />
  <script src="/assets/application-{hexs(64)}.js" data-turbo-track="reload" defer="defer"></script>
</head>
<body>
<form action="/session" accept-charset="UTF-8" method="post"><input type="hidden" name="authenticity_token" value="{b64url_nopad(rbytes(64))}" autocomplete="off" />
  <label for="email_address">Email</label>
  <input type="email" name="email_address" id="email_address" required="required" autocomplete="username" />
  <label for="password">Password</label>
  <input type="password" name="password" id="password" required="required" autocomplete="current-password" maxlength="72" />
  <input type="submit" name="commit" value="Sign in" data-disable-with="Sign in" />
</form>
</body>
</html>
''')
    clean('projects/blogapp/blog/tests/fixtures/login_page.html', c, f'''
<form method="post" action="/login/">
  <input type="hidden" name="csrfmiddlewaretoken" value="{rs(64)}">
  <p><label for="id_username">Username:</label> <input type="text" name="username" autofocus autocapitalize="none" autocomplete="username" maxlength="150" required id="id_username"></p>
  <p><label for="id_password">Password:</label> <input type="password" name="password" autocomplete="current-password" required id="id_password"></p>
  <button type="submit">Log in</button>
</form>
<script nonce="{b64rand(16)}">document.getElementById("id_username").focus();</script>
''')
    clean('projects/shop/resources/views/layouts/app.html', c, f'''
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="csrf-token" content="{rs(40)}">
    <title>Shop</title>
    <link rel="preload" as="style" href="https://shop.example.com/build/assets/app-{rs(8, AL)}.css" />
    <script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.bundle.min.js" integrity="sha384-{b64rand(48)}" crossorigin="anonymous"></script>
    <script src="https://code.jquery.com/jquery-3.7.1.min.js" integrity="sha256-{b64rand(32)}" crossorigin="anonymous"></script>
</head>
<body>
<form method="POST" action="https://shop.example.com/logout">
    <input type="hidden" name="_token" value="{rs(40)}" autocomplete="off">
    <button type="submit">Log out</button>
</form>
</body>
</html>
''')
    clean('projects/shop/tests/fixtures/sessions.json', c, f'''
[
  {{
    "id": 1,
    "user_id": 1,
    "csrf_token": "{rs(40)}",
    "nonce": "{hexs(32)}",
    "etag": "W/\\"{hexs(40)}\\"",
    "cache_key": "views/products/index-{hexs(32)}",
    "last_activity": 1709035200
  }}
]
''')
    clean('projects/shop/lang/en/passwords.php', c, '''
<?php

return [

    /*
    |--------------------------------------------------------------------------
    | Password Reset Language Lines
    |--------------------------------------------------------------------------
    */

    'reset' => 'Your password has been reset.',
    'sent' => 'We have emailed your password reset link.',
    'throttled' => 'Please wait before retrying.',
    'token' => 'This password reset token is invalid.',
    'user' => "We can't find a user with that email address.",
    'password' => 'The password must be at least 12 characters.',

];
''')
    # Symfony
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('projects/api/.env.local', c, f'''
###> symfony/framework-bundle ###
APP_ENV=prod
APP_SECRET={S(hexs(32))}
###< symfony/framework-bundle ###

###> doctrine/doctrine-bundle ###
DATABASE_URL="postgresql://api:{S(enc, 'percent')}@db.{d}:5432/api?serverVersion=15&charset=utf8"
###< doctrine/doctrine-bundle ###

###> symfony/mailer ###
MAILER_DSN=smtp://apikey:{S(sendgrid())}@smtp.sendgrid.net:587
###< symfony/mailer ###

###> lexik/jwt-authentication-bundle ###
JWT_SECRET_KEY=%kernel.project_dir%/config/jwt/private.pem
JWT_PUBLIC_KEY=%kernel.project_dir%/config/jwt/public.pem
JWT_PASSPHRASE={S(hexs(64))}
###< lexik/jwt-authentication-bundle ###
''')
    clean('projects/api/.env', c, '''
# In all environments, the following files are loaded if they exist,
# the latter taking precedence over the former:
#
#  * .env                contains default values for the environment variables needed by the app
#  * .env.local          uncommitted file with local overrides
#  * .env.$APP_ENV       committed environment-specific defaults
#  * .env.$APP_ENV.local uncommitted environment-specific overrides
#
# Real environment variables win over .env files.
#
# DO NOT DEFINE PRODUCTION SECRETS IN THIS FILE NOR IN ANY OTHER COMMITTED FILES.

###> symfony/framework-bundle ###
APP_ENV=dev
APP_SECRET=
###< symfony/framework-bundle ###

###> doctrine/doctrine-bundle ###
# Format described at https://www.doctrine-project.org/projects/doctrine-dbal/en/latest/reference/configuration.html#connecting-using-a-url
# IMPORTANT: You MUST configure your server version, either here or in config/packages/doctrine.yaml
#
# DATABASE_URL="sqlite:///%kernel.project_dir%/var/data.db"
# DATABASE_URL="mysql://app:!ChangeMe!@127.0.0.1:3306/app?serverVersion=8.0.32&charset=utf8mb4"
DATABASE_URL="postgresql://app:!ChangeMe!@127.0.0.1:5432/app?serverVersion=16&charset=utf8"
###< doctrine/doctrine-bundle ###

###> symfony/mailer ###
MAILER_DSN=null://null
###< symfony/mailer ###
''')
    clean('projects/api/config/packages/framework.yaml', c, '''
framework:
    secret: '%env(APP_SECRET)%'
    csrf_protection: true
    http_method_override: false
    session:
        handler_id: '%env(REDIS_URL)%'
        cookie_secure: auto
        cookie_samesite: lax
    php_errors:
        log: true
''')
    leak('projects/legacy-sf/app/config/parameters.yml', c, f'''
# This file is auto-generated during the composer install
parameters:
    database_host: 127.0.0.1
    database_port: null
    database_name: legacy
    database_user: legacy
    database_password: {S(alnum_pw())}
    mailer_transport: smtp
    mailer_host: smtp.{d}
    mailer_user: noreply@{d}
    mailer_password: {S(pw())}
    secret: {S(hexs(40))}
''')
    clean('projects/legacy-sf/app/config/parameters.yml.dist', c, '''
# This file is a "template" of what your parameters.yml file should look like
# Set parameters here that may be different on each deployment target of the app, e.g. development, staging, production.
# https://symfony.com/doc/current/best_practices/configuration.html#infrastructure-related-configuration
parameters:
    database_host: 127.0.0.1
    database_port: ~
    database_name: symfony
    database_user: root
    database_password: ~
    # You should uncomment this if you want to use pdo_sqlite
    #database_path: '%kernel.project_dir%/var/data/data.sqlite'

    mailer_transport: smtp
    mailer_host: 127.0.0.1
    mailer_user: ~
    mailer_password: ~

    # A secret key that's used to generate certain security-related tokens
    secret: ThisTokenIsNotSoSecretChangeIt
''')
    # Flask
    fk = ''.join('\\x%02x' % b for b in rbytes(16))
    leak('projects/flaskapp/config.py', c, f'''
import os


class Config:
    SECRET_KEY = b'{S(fk)}'
    SQLALCHEMY_DATABASE_URI = "postgresql://flask:{S(alnum_pw())}@localhost/flaskapp"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    MAIL_SERVER = "smtp.gmail.com"
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME = "flaskapp.{company()}@gmail.com"
    MAIL_PASSWORD = "{S(gmail_app_pw().replace(' ', ''))}"


class ProductionConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = True
''')
    clean('projects/flask-template/config.py', c, '''
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///app.db")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    WTF_CSRF_TIME_LIMIT = None
    PASSWORD_MIN_LENGTH = 12


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    WTF_CSRF_ENABLED = False
''')
    # Spring
    leak('projects/billing/src/main/resources/application.properties', c, f'''
spring.application.name=billing
server.port=8080

spring.datasource.url=jdbc:postgresql://billing-db.{d}:5432/billing
spring.datasource.username=billing
spring.datasource.password={S(pw())}
spring.jpa.hibernate.ddl-auto=validate

spring.mail.host=smtp.{d}
spring.mail.port=587
spring.mail.username=billing@{d}
spring.mail.password={S(pw())}

spring.security.oauth2.client.registration.github.client-id=Iv1.{hexs(16)}
spring.security.oauth2.client.registration.github.client-secret={S(hexs(40))}

app.jwt.secret={S(b64rand(48))}
app.jwt.expiration-ms=86400000
''')
    leak('projects/billing/src/main/resources/application-prod.yml', c, f'''
spring:
  datasource:
    url: jdbc:mysql://{ip()}:3306/billing?useSSL=true
    username: billing_prod
    password: {S(alnum_pw())}
  rabbitmq:
    host: rabbit.{d}
    username: billing
    password: "{S(pw())}"
  data:
    redis:
      host: redis.{d}
      password: {S(rs(32))}
management:
  endpoints:
    web:
      exposure:
        include: health,info
''')
    clean('projects/orders/src/main/resources/application.yml', c, '''
spring:
  datasource:
    url: ${DB_URL:jdbc:postgresql://localhost:5432/orders}
    username: ${DB_USER:orders}
    password: ${DB_PASSWORD}
  security:
    oauth2:
      client:
        registration:
          keycloak:
            client-id: orders
            client-secret: ${KEYCLOAK_CLIENT_SECRET}
app:
  security:
    password-policy:
      min-length: 12
      require-digit: true
      max-age-days: 90
  cache:
    key-prefix: orders-v2
''')
    # ASP.NET
    leak('projects/Shop.Web/appsettings.json', c, f'''
{{
  "Logging": {{
    "LogLevel": {{
      "Default": "Information",
      "Microsoft.AspNetCore": "Warning"
    }}
  }},
  "AllowedHosts": "*",
  "ConnectionStrings": {{
    "DefaultConnection": "Server=tcp:{company()}-sql.database.windows.net,1433;Initial Catalog=shop;Persist Security Info=False;User ID=shopadmin;Password={S(alnum_pw())};MultipleActiveResultSets=False;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;",
    "Redis": "{company()}.redis.cache.windows.net:6380,password={S(b64rand(32))},ssl=True,abortConnect=False"
  }},
  "Jwt": {{
    "Issuer": "https://shop.{d}",
    "Audience": "shop-api",
    "Key": "{S(rs(48))}"
  }},
  "SendGrid": {{
    "ApiKey": "{S(sendgrid())}"
  }}
}}
''', bom=True)
    clean('projects/Shop.Web/appsettings.Development.json', c, '''
{
  "Logging": {
    "LogLevel": {
      "Default": "Debug"
    }
  },
  "ConnectionStrings": {
    "DefaultConnection": "Server=(localdb)\\\\mssqllocaldb;Database=Shop;Trusted_Connection=True;MultipleActiveResultSets=true"
  },
  "Jwt": {
    "Key": ""
  },
  "Identity": {
    "Password": {
      "RequiredLength": 12,
      "RequireNonAlphanumeric": true
    }
  }
}
''')
    leak('projects/Legacy.Web/Web.config', c, f'''
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="LegacyDb" connectionString="Data Source=sql01.corp.local;Initial Catalog=Legacy;User ID=legacy_app;Password={S(pw())}" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <appSettings>
    <add key="webpages:Version" value="3.0.0.0" />
    <add key="ClientValidationEnabled" value="true" />
    <add key="SmtpPassword" value="{S(pw())}" />
    <add key="PayPalClientSecret" value="{S(rs(80, AL + '-_'))}" />
  </appSettings>
  <system.web>
    <compilation debug="false" targetFramework="4.8" />
    <httpRuntime targetFramework="4.8" />
    <machineKey
      validationKey="{S(HEX(128))}"
      decryptionKey="{S(HEX(64))}"
      validation="HMACSHA256" decryption="AES" />
    <authentication mode="Forms">
      <forms loginUrl="~/Account/Login" timeout="2880" />
    </authentication>
  </system.web>
</configuration>
''', bom=True, crlf=True)
    clean('projects/Intranet.Web/Web.config', c, '''
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="IntranetDb" connectionString="Data Source=sql01.corp.local;Initial Catalog=Intranet;Integrated Security=True" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <system.web>
    <compilation debug="false" targetFramework="4.8" />
    <machineKey validationKey="AutoGenerate,IsolateApps" decryptionKey="AutoGenerate,IsolateApps" validation="HMACSHA256" />
    <membership defaultProvider="Default">
      <providers>
        <add name="Default" type="System.Web.Providers.DefaultMembershipProvider" minRequiredPasswordLength="12" minRequiredNonalphanumericCharacters="1" passwordFormat="Hashed" />
      </providers>
    </membership>
  </system.web>
</configuration>
''', crlf=True)
    # PHP CMSes
    leak('var/www/joomla/configuration.php', c, f'''
<?php
class JConfig {{
	public $offline = false;
	public $offline_message = 'This site is down for maintenance.<br>Please check back again soon.';
	public $sitename = '{company().title()} Club';
	public $editor = 'tinymce';
	public $captcha = '0';
	public $list_limit = 20;
	public $access = 1;
	public $debug = false;
	public $dbtype = 'mysqli';
	public $host = 'localhost';
	public $user = 'joomla';
	public $password = '{S(pw())}';
	public $db = 'joomla';
	public $dbprefix = '{rs(5, LOW)}_';
	public $secret = '{S(rs(16))}';
	public $gzip = false;
	public $error_reporting = 'default';
	public $helpurl = 'https://help.joomla.org/proxy?keyref=Help{{major}}{{minor}}:{{keyref}}&lang={{langcode}}';
	public $mailonline = true;
	public $mailer = 'smtp';
	public $mailfrom = 'info@{d}';
	public $fromname = 'Club';
	public $smtpauth = true;
	public $smtpuser = 'info@{d}';
	public $smtppass = '{S(pw())}';
	public $smtphost = 'smtp.{d}';
	public $smtpsecure = 'tls';
	public $smtpport = 587;
	public $caching = 0;
	public $session_handler = 'database';
	public $lifetime = 15;
	public $log_path = '/var/www/joomla/administrator/logs';
	public $tmp_path = '/var/www/joomla/tmp';
}}
''')
    leak('var/www/drupal/sites/default/settings.php', c, f'''
<?php

// phpcs:ignoreFile

/**
 * @file
 * Drupal site-specific configuration file.
 */

$databases['default']['default'] = array (
  'database' => 'drupal',
  'username' => 'drupal',
  'password' => '{S(pw())}',
  'prefix' => '',
  'host' => 'db.{d}',
  'port' => '3306',
  'isolation_level' => 'READ COMMITTED',
  'driver' => 'mysql',
  'namespace' => 'Drupal\\\\mysql\\\\Driver\\\\Database\\\\mysql',
  'autoload' => 'core/modules/mysql/src/Driver/Database/mysql/',
);

/**
 * Salt for one-time login links, cancel links, form tokens, etc.
 */
$settings['hash_salt'] = '{S(b64url_nopad(rbytes(55)))}';

$settings['update_free_access'] = FALSE;
$settings['file_scan_ignore_directories'] = [
  'node_modules',
  'bower_components',
];
$settings['entity_update_batch_size'] = 50;
$settings['config_sync_directory'] = 'sites/default/files/config_{b64url_nopad(rbytes(64))}/sync';
''')
    clean('var/www/drupal/sites/default/default.settings.php', c, '''
<?php

// phpcs:ignoreFile

/**
 * @file
 * Drupal site-specific configuration file.
 *
 * IMPORTANT NOTE:
 * This file may have been set to read-only by the Drupal installation program.
 */

/**
 * Database settings:
 *
 * The $databases array specifies the database connection or
 * connections that Drupal may use.
 *
 * @code
 * $databases['default']['default'] = [
 *   'database' => 'databasename',
 *   'username' => 'sqlusername',
 *   'password' => 'sqlpassword',
 *   'host' => 'localhost',
 *   'port' => '3306',
 *   'driver' => 'mysql',
 *   'prefix' => '',
 *   'collation' => 'utf8mb4_general_ci',
 * ];
 * @endcode
 */
$databases = [];

/**
 * Salt for one-time login links, cancel links, form tokens, etc.
 *
 * Example:
 * @code
 *   $settings['hash_salt'] = file_get_contents('/home/example/salt.txt');
 * @endcode
 */
$settings['hash_salt'] = '';

$settings['update_free_access'] = FALSE;
''')
    leak('var/www/magento/app/etc/env.php', c, f'''
<?php
return [
    'backend' => [
        'frontName' => 'admin_{rs(7, LOW + DIG)}'
    ],
    'cache' => [
        'graphql' => [
            'id_salt' => '{rs(32)}'
        ],
        'frontend' => [
            'default' => [
                'id_prefix' => '{hexs(3)}_'
            ]
        ]
    ],
    'remote_storage' => [
        'driver' => 'file'
    ],
    'queue' => [
        'consumers_wait_for_messages' => 1
    ],
    'crypt' => [
        'key' => '{S(hexs(32))}'
    ],
    'db' => [
        'table_prefix' => '',
        'connection' => [
            'default' => [
                'host' => 'localhost',
                'dbname' => 'magento',
                'username' => 'magento',
                'password' => '{S(pw())}',
                'model' => 'mysql4',
                'engine' => 'innodb',
                'initStatements' => 'SET NAMES utf8;',
                'active' => '1',
                'driver_options' => [
                    1014 => false
                ]
            ]
        ]
    ],
    'resource' => [
        'default_setup' => [
            'connection' => 'default'
        ]
    ],
    'x-frame-options' => 'SAMEORIGIN',
    'MAGE_MODE' => 'production',
    'session' => [
        'save' => 'files'
    ],
    'install' => [
        'date' => 'Tue, 12 Mar 2024 10:11:22 +0000'
    ]
];
''')
    leak('var/www/wiki/LocalSettings.php', c, f'''
<?php
# This file was automatically generated by the MediaWiki 1.41.0
# installer. If you make manual changes, please keep track in case you
# need to recreate them later.
#
# See includes/MainConfigSchema.php for all configurable settings
# and their default values, but don't forget to make changes in _this_
# file, not there.

# Protect against web entry
if ( !defined( 'MEDIAWIKI' ) ) {{
	exit;
}}

$wgSitename = "Ops Wiki";
$wgScriptPath = "";
$wgServer = "https://wiki.{d}";
$wgResourceBasePath = $wgScriptPath;

## Database settings
$wgDBtype = "mysql";
$wgDBserver = "localhost";
$wgDBname = "wikidb";
$wgDBuser = "wikiuser";
$wgDBpassword = "{S(pw())}";

# MySQL specific settings
$wgDBprefix = "";
$wgDBTableOptions = "ENGINE=InnoDB, DEFAULT CHARSET=binary";

$wgSecretKey = "{S(hexs(64))}";

# Changing this will log out all existing sessions.
$wgAuthenticationTokenVersion = "1";

# Site upgrade key. Must be set to a string (default provided) to turn on the
# web installer while LocalSettings.php is in place
$wgUpgradeKey = "{S(hexs(16))}";

$wgDefaultSkin = "vector-2022";
wfLoadSkin( 'Vector' );
''')
    leak('var/www/nextcloud/config/config.php', c, f'''
<?php
$CONFIG = array (
  'instanceid' => 'oc{rs(10, LOW + DIG)}',
  'passwordsalt' => '{S(rs(30, AL + '+/'))}',
  'secret' => '{S(rs(48, AL + '+/'))}',
  'trusted_domains' =>
  array (
    0 => 'cloud.{d}',
  ),
  'datadirectory' => '/var/www/nextcloud/data',
  'dbtype' => 'mysql',
  'version' => '28.0.3.2',
  'overwrite.cli.url' => 'https://cloud.{d}',
  'dbname' => 'nextcloud',
  'dbhost' => 'localhost',
  'dbport' => '',
  'dbtableprefix' => 'oc_',
  'mysql.utf8mb4' => true,
  'dbuser' => 'nextcloud',
  'dbpassword' => '{S(pw())}',
  'installed' => true,
  'memcache.local' => '\\\\OC\\\\Memcache\\\\APCu',
  'mail_smtpmode' => 'smtp',
  'mail_smtphost' => 'smtp.{d}',
  'mail_smtpauth' => 1,
  'mail_smtpname' => 'cloud@{d}',
  'mail_smtppassword' => '{S(pw())}',
  'maintenance' => false,
);
''')
    clean('var/www/nextcloud/config/config.sample.php', c, '''
<?php

/**
 * This configuration file is only provided to document the different
 * configuration options and their usage.
 *
 * DO NOT COMPLETELY BASE YOUR CONFIGURATION FILE ON THIS SAMPLE. THIS MAY BREAK
 * YOUR INSTANCE. Instead, manually copy configuration switches that you
 * consider important for your instance to your working ``config.php``, and
 * apply configuration options that are pertinent for your instance.
 */

$CONFIG = [

/**
 * This is a unique identifier for your Nextcloud installation, created
 * automatically by the installer. This example is for documentation only,
 * and you should never use it because it will not work. A valid ``instanceid``
 * is created when you install Nextcloud.
 */
'instanceid' => '',

/**
 * The salt used to hash all passwords, auto-generated by the Nextcloud
 * installer. (There are also per-user salts.) If you lose this salt you lose
 * all your passwords. This example is for documentation only, and you should
 * never use it.
 */
'passwordsalt' => '',

/**
 * Secret used by Nextcloud for various purposes, e.g. to encrypt data. If you
 * lose this string there will be data corruption.
 */
'secret' => '',

/**
 * Password for the database user.
 */
'dbpassword' => '',

/**
 * Defines the minimum password length (password policy app).
 */
'password_policy.minLength' => 12,
];
''')
    leak('var/www/forum/config.php', c, f'''
<?php
// phpBB 3.3.x auto-generated configuration file
// Do not change anything in this file!
$dbms = 'phpbb\\\\db\\\\driver\\\\mysqli';
$dbhost = 'localhost';
$dbport = '';
$dbname = 'phpbb';
$dbuser = 'phpbb';
$dbpasswd = '{S(pw())}';
$table_prefix = 'phpbb_';
$phpbb_adm_relative_path = 'adm/';
$acm_type = 'phpbb\\\\cache\\\\driver\\\\file';

@define('PHPBB_INSTALLED', true);
@define('PHPBB_ENVIRONMENT', 'production');
// @define('DEBUG_CONTAINER', true);
''')
    clean('var/www/forum-new/config.php', c, '')
    leak('var/www/ci3/application/config/database.php', c, f'''
<?php
defined('BASEPATH') OR exit('No direct script access allowed');

$active_group = 'default';
$query_builder = TRUE;

$db['default'] = array(
	'dsn'	=> '',
	'hostname' => 'localhost',
	'username' => 'ci_app',
	'password' => '{S(pw())}',
	'database' => 'ci_app',
	'dbdriver' => 'mysqli',
	'dbprefix' => '',
	'pconnect' => FALSE,
	'db_debug' => (ENVIRONMENT !== 'production'),
	'cache_on' => FALSE,
	'cachedir' => '',
	'char_set' => 'utf8',
	'dbcollat' => 'utf8_general_ci',
	'swap_pre' => '',
	'encrypt' => FALSE,
	'compress' => FALSE,
	'stricton' => FALSE,
	'failover' => array(),
	'save_queries' => TRUE
);
''')
    # Node
    raw, enc = url_pw()
    while enc == raw:
        raw, enc = url_pw()
    leak('projects/node-api/.env', c, f'''
NODE_ENV=production
PORT=8080
MONGO_URI=mongodb+srv://api:{S(enc, 'percent')}@cluster0.{rs(5, LOW + DIG)}.mongodb.net/api?retryWrites=true&w=majority
JWT_SECRET={S(hexs(64))}
JWT_EXPIRES_IN=7d
STRIPE_SECRET_KEY={S(stripe())}
SENDGRID_API_KEY={S(sendgrid())}
TWILIO_ACCOUNT_SID=AC{hexs(32)}
TWILIO_AUTH_TOKEN={S(twilio_auth())}
''')
    clean('projects/node-api/.env.example', c, '''
NODE_ENV=development
PORT=8080
MONGO_URI=mongodb://localhost:27017/api
JWT_SECRET=change-me
JWT_EXPIRES_IN=7d
STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx
SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
TWILIO_ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
TWILIO_AUTH_TOKEN=your_auth_token
''')
    leak('projects/node-api/config/config.json', c, f'''
{{
  "development": {{
    "username": "root",
    "password": null,
    "database": "api_development",
    "host": "127.0.0.1",
    "dialect": "mysql"
  }},
  "test": {{
    "username": "root",
    "password": null,
    "database": "api_test",
    "host": "127.0.0.1",
    "dialect": "mysql"
  }},
  "production": {{
    "username": "api",
    "password": "{S(pw())}",
    "database": "api_production",
    "host": "api-db.{d}",
    "dialect": "mysql"
  }}
}}
''')
    leak('projects/next-app/.env.production', c, f'''
NEXT_PUBLIC_SITE_URL=https://app.{d}
NEXT_PUBLIC_GA_ID=G-{rs(10, UP + DIG)}
NEXTAUTH_URL=https://app.{d}
NEXTAUTH_SECRET={S(b64rand(32))}
GITHUB_ID=Iv1.{hexs(16)}
GITHUB_SECRET={S(hexs(40))}
DATABASE_URL="postgresql://app:{S(alnum_pw())}@ep-{rs(5, LOW)}-{rs(5, LOW)}-{digits(6)}.eu-central-1.aws.neon.tech/app?sslmode=require"
''')
    hook_pw = alnum_pw()
    leak('var/www/shop/wp-content/uploads/wp-options-export.json', c,
         '{"siteurl":"' + php_json_url(f'https://shop.{d}') + '","blogname":"Shop","admin_email":"' + f'ops@{d}'
         + '","woocommerce_webhook_delivery_url":"' + S(php_json_url(f'https://hooks:{hook_pw}@erp.{d}/api/woo'), 'json-escape')
         + '","permalink_structure":"' + php_json_url('/%postname%/') + '"}\n')
    smtp_pw = rs(6) + '/' + rs(7) + '/' + rs(4)
    leak('var/www/blog/wp-content/uploads/wp_mail_smtp-export.json', c,
         '{"mail":{"from_email":"' + f'blog@{d}' + '","from_name":"Blog","mailer":"smtp","return_path":false},"smtp":{"host":"smtp.office365.com","port":"587","encryption":"tls","autotls":true,"auth":true,"user":"'
         + f'blog@{d}' + '","pass":"' + S(php_json_url(smtp_pw), 'json-escape') + '"},"license":{"key":""}}\n')
    clean('projects/Portal.Web/appsettings.json', c, f'''
{{
  "AzureAd": {{
    "Instance": "https://login.microsoftonline.com/",
    "Domain": "{company()}.onmicrosoft.com",
    "TenantId": "{uid()}",
    "ClientId": "{uid()}",
    "CallbackPath": "/signin-oidc",
    "ClientCertificates": [
      {{
        "SourceType": "KeyVault",
        "KeyVaultUrl": "https://kv-portal.vault.azure.net",
        "KeyVaultCertificateName": "portal-auth"
      }}
    ]
  }},
  "ApplicationInsights": {{
    "ConnectionString": "InstrumentationKey={uid()};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/"
  }},
  "AllowedHosts": "*"
}}
''')
    u, p = 'api-client', pw()
    leak('projects/api/requests.http', c, f'''
### health
GET https://api.{d}/health

### list orders (staging)
GET https://staging-api.{d}/v1/orders?limit=20
Accept: application/json
Authorization: Basic {S(b64(u + ':' + p), 'base64')}

### create order
POST https://staging-api.{d}/v1/orders
Content-Type: application/json
Authorization: Bearer {{{{token}}}}

{{"sku": "ABC-123", "qty": 2}}
''')
    clean('projects/api/http-client.env.json', c, '''
{
  "dev": {
    "host": "http://localhost:8080",
    "token": "{{$dotenv API_TOKEN}}"
  },
  "staging": {
    "host": "https://staging-api.example.com"
  }
}
''')
    clean('projects/shop/README.md', c, '''
# Shop

## Local setup

```bash
cp .env.example .env
php artisan key:generate
```

Fill in `.env`:

```
DB_DATABASE=shop
DB_USERNAME=shop
DB_PASSWORD=<your local db password>
STRIPE_SECRET=sk_test_...
```

Production secrets live in Vault (`secret/shop/prod`) and are injected as environment
variables at deploy time: `DB_PASSWORD=${DB_PASSWORD}`. Passwords must be at least
12 characters (`password_min_length: 12` in `config/auth.php`).
''')


# ====================================================================== writer
def render(text):
    """Strips the secret marks; returns (text, [(line, encoding)])."""
    out, found, line, i = [], [], 1, 0
    while True:
        j = text.find(OPEN, i)
        if j < 0:
            out.append(text[i:])
            break
        chunk = text[i:j]
        out.append(chunk)
        line += chunk.count('\n')
        k = text.index(MID, j)
        m = text.index(CLOSE, k)
        enc, val = text[j + 1:k], text[k + 1:m]
        assert OPEN not in val and CLOSE not in val
        found.append((line, enc))
        out.append(val)
        line += val.count('\n')
        i = m + 1
    return ''.join(out), found


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: credfiles-corpus.py OUTPUT_DIR')
    out = sys.argv[1]
    if os.path.isdir(out) and os.listdir(out):
        if not os.path.exists(os.path.join(out, 'truth.tsv')):
            sys.exit(f'{out} is not empty and holds no truth.tsv: refusing to replace it')
        shutil.rmtree(out)
    for gen in (gen_ftp, gen_database, gen_messaging, gen_os, gen_packages, gen_cloud, gen_ci, gen_framework):
        gen()
    truth, files = [], []
    for path, family, secret, text, crlf, final_newline, bom in FILES:
        body, found = render(text)
        lines = [l for l, _ in found]
        assert len(lines) == len(set(lines)), f'{path}: two secrets on one line {sorted(lines)}'
        assert bool(found) == secret, path
        if not final_newline:
            body = body.rstrip('\n')
        elif body and not body.endswith('\n'):
            body += '\n'
        if crlf:
            body = body.replace('\n', '\r\n')
        full = os.path.join(out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w', encoding='utf-8', newline='') as fh:
            fh.write(('\ufeff' if bom else '') + body)
        truth += [(path, l, family, enc) for l, enc in found]
        files.append((path, family, 'secret' if secret else 'clean'))
    with open(os.path.join(out, 'truth.tsv'), 'w') as fh:
        fh.write('# Labelled secrets of fixtures/credfiles, written by bench/credfiles-corpus.py (all invented).\n')
        fh.write('# path<TAB>line<TAB>family<TAB>encoding: line is where the secret value starts (a PEM block: its\n')
        fh.write('# BEGIN line); encoding is how the value is stored: -, base64, percent or json-escape.\n')
        for row in sorted(truth):
            fh.write('%s\t%d\t%s\t%s\n' % row)
    with open(os.path.join(out, 'files.tsv'), 'w') as fh:
        fh.write('# Every corpus file with the family of its format: path<TAB>family<TAB>clean|secret.\n')
        for row in sorted(files):
            fh.write('%s\t%s\t%s\n' % row)
    fams = {f: [0, 0, 0] for f in FAMILIES}
    for path, family, kind in files:
        fams[family][0 if kind == 'secret' else 1] += 1
    for path, l, family, enc in truth:
        fams[family][2] += 1
    print(f'{len(files)} files ({sum(1 for f in files if f[2] == "clean")} clean), {len(truth)} secret lines -> {out}')
    for f, (s, cl, n) in fams.items():
        print(f'  {f:10} {s:3} secret files {cl:3} clean {n:4} secret lines')
    encs = {}
    for *_, enc in truth:
        encs[enc] = encs.get(enc, 0) + 1
    print('  encodings: ' + ', '.join(f'{e} {n}' for e, n in sorted(encs.items())))


if __name__ == '__main__':
    main()
