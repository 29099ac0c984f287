#!/usr/bin/env python3
"""Generates fixtures/accuracy/: files with planted invented credentials (marked @@kind@@ in the
templates below) and clean look-alikes; writes truth.tsv (path<TAB>line of every secret)."""
import base64, hashlib, os, random, string, sys, shutil
rnd = random.Random(20261122)
out = sys.argv[1]
A = string.ascii_letters + string.digits
def s(n, alphabet=A): return ''.join(rnd.choice(alphabet) for _ in range(n))
def pw():
    while True:
        v = s(4, string.ascii_uppercase) + s(5, string.ascii_lowercase) + s(3, string.digits) + rnd.choice('!#%-_+.@')
        v = ''.join(rnd.sample(v, len(v)))
        low = v.lower()
        if not any(w in low for w in ['pass','test','foo','abc','xxx','demo','fake','your','mock','secret']):
            return v
def hexs(n): return s(n, '0123456789abcdef')
def b64(n): return s(n, A + '+/')
def userpass(): return base64.b64encode(('deploy-%s:%s' % (s(4, string.ascii_lowercase), pw())).encode()).decode()
def bcrypt(): return '$2y$10$' + s(53, A + './')
def sha512crypt(): return '$6$' + s(8, A + './') + '$' + s(86, A + './')
def apr1(): return '$apr1$' + s(8, A + './') + '$' + s(22, A + './')
def pbkdf2(): return 'pbkdf2_sha256$600000$' + s(12) + '$' + base64.b64encode(os.urandom(0) + bytes(rnd.getrandbits(8) for _ in range(32))).decode()
def phpass(): return '$P$B' + s(30, A + './')
def akia(): return 'AKIA' + s(16, string.ascii_uppercase + '234567')
def django(): return s(50, string.ascii_lowercase + string.digits + '!@#%^&*(-_=+)')
KINDS = {
    'pw': pw, 'hex32': lambda: hexs(32), 'hex40': lambda: hexs(40), 'hex64': lambda: hexs(64), 'hex128': lambda: hexs(128),
    'b64_40': lambda: b64(40), 'tok24': lambda: s(24), 'tok32': lambda: s(32), 'userpass': userpass, 'bcrypt': bcrypt,
    'sha512': sha512crypt, 'apr1': apr1, 'pbkdf2': pbkdf2, 'phpass': phpass, 'akia': akia, 'django': django,
    'uuid': lambda: '%s-%s-4%s-a%s-%s' % (hexs(8), hexs(4), hexs(3), hexs(3), hexs(12)),
    'b64pw': lambda: base64.b64encode(pw().encode()).decode(),
    'mysqlhash': lambda: '*' + s(40, '0123456789ABCDEF'),
    'hexpw': lambda: pw().encode().hex().upper(),
}
FILES = {}
def f(path, text): FILES[path] = text.lstrip('\n')

# ---------------------------------------------------------------- code
f('python/settings.py', '''
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = '@@django@@'
DEBUG = False
ALLOWED_HOSTS = ["app.example.net"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "@@pw@@",
        "HOST": "db.internal",
    },
    "replica": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": os.environ.get("REPLICA_PASSWORD", ""),
    },
}
EMAIL_HOST_USER = "mailer@example.net"
EMAIL_HOST_PASSWORD = "@@pw@@"
AWS_SECRET_ACCESS_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
''')
f('python/db.py', '''
import os
import psycopg2

def connect_primary():
    return psycopg2.connect(host="db.internal", user="etl", password="@@pw@@", dbname="warehouse")

def connect_from_env():
    password = os.getenv("WAREHOUSE_PASSWORD")
    return psycopg2.connect(host="db.internal", user="etl", password=password)
''')
f('python/notify.py', '''
import requests

SLACK_CHANNEL = "#deploys"
api_key = "@@tok32@@"
api_secret: str = "@@tok24@@"

def post(msg, token=None):
    token = token or api_key
    return requests.post("https://notify.example.net/v1", json={"msg": msg}, headers={"X-Key": token})
''')
f('python/sqlalchemy_cfg.py', '''
SQLALCHEMY_DATABASE_URI = "postgresql://report:@@pw@@@db.internal:5432/reports"
SQLALCHEMY_TRACK_MODIFICATIONS = False
''')
f('js/config.js', '''
module.exports = {
  port: process.env.PORT || 3000,
  db: {
    host: "mongo.internal",
    user: "api",
    password: "@@pw@@",
  },
  mailgun: {
    apiKey: "@@hex32@@",
    domain: "mg.example.net",
  },
  session: { secret: process.env.SESSION_SECRET },
};
''')
f('ts/client.ts', '''
export class BillingClient {
  private readonly baseUrl = "https://billing.example.net";
  private readonly clientSecret = '@@tok32@@';
  private password: string = "@@pw@@";

  constructor(private readonly clientId: string) {}

  headers(token: string) {
    return { Authorization: `Bearer ${token}` };
  }
}
''')
f('java/src/main/resources/application.properties', '''
server.port=8080
spring.datasource.url=jdbc:postgresql://db.internal:5432/orders
spring.datasource.username=orders
spring.datasource.password=@@pw@@
spring.mail.password=@@pw@@
management.endpoints.web.exposure.include=health
jwt.secret=@@hex64@@
''')
f('java/src/main/java/com/example/DbConfig.java', '''
package com.example;

public class DbConfig {
    private static final String URL = "jdbc:mysql://db.internal:3306/app";
    private static final String USER = "app";
    private static final String PASSWORD = "@@pw@@";

    public String password() {
        return PASSWORD;
    }
}
''')
f('java/src/main/resources/hibernate.cfg.xml', '''
<?xml version="1.0" encoding="utf-8"?>
<hibernate-configuration>
  <session-factory>
    <property name="hibernate.connection.url">jdbc:mysql://db.internal/app</property>
    <property name="hibernate.connection.username">app</property>
    <property name="hibernate.connection.password">@@pw@@</property>
  </session-factory>
</hibernate-configuration>
''')
f('java/src/main/resources/applicationContext.xml', '''
<beans>
  <bean id="dataSource" class="org.apache.commons.dbcp2.BasicDataSource">
    <property name="url" value="jdbc:postgresql://db.internal/app" />
    <property name="username" value="app" />
    <property name="password" value="@@pw@@" />
  </bean>
</beans>
''')
f('csharp/appsettings.json', '''
{
  "ConnectionStrings": {
    "Default": "Server=sql.internal;Database=Shop;User Id=shop_app;Password=@@pw@@;TrustServerCertificate=true"
  },
  "Payments": {
    "ApiKey": "@@tok32@@",
    "Endpoint": "https://pay.example.net"
  },
  "Logging": { "LogLevel": { "Default": "Information" } }
}
''')
f('csharp/Web.config', '''
<?xml version="1.0"?>
<configuration>
  <appSettings>
    <add key="SmtpHost" value="smtp.example.net" />
    <add key="SmtpPassword" value="@@pw@@" />
    <add key="Environment" value="Production" />
  </appSettings>
</configuration>
''')
f('go/main.go', '''
package main

import "database/sql"

var cfg = Config{
	Host:     "db.internal",
	User:     "svc",
	Password: "@@pw@@",
}

func open() (*sql.DB, error) {
	apiKey := "@@hex40@@"
	_ = apiKey
	return sql.Open("postgres", cfg.DSN())
}
''')
f('rust/src/config.rs', '''
pub const DB_HOST: &str = "db.internal";
pub const DB_PASSWORD: &str = "@@pw@@";
pub const API_TOKEN: &str = "@@tok32@@";

pub fn password_from_env() -> Option<String> {
    std::env::var("DB_PASSWORD").ok()
}
''')
f('kotlin/Config.kt', '''
object Config {
    const val BASE_URL = "https://api.example.net"
    val apiSecret = "@@tok32@@"
}
''')
f('swift/Keys.swift', '''
enum Keys {
    static let analyticsHost = "collect.example.net"
    static let apiKey = "@@hex40@@"
}
''')
f('php/wp-config.php', '''
<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', '@@pw@@' );
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         '@@django@@' );
define( 'SECURE_AUTH_KEY',  '@@django@@' );
define( 'LOGGED_IN_SALT',   '@@django@@' );
$table_prefix = 'wp_';
''')
f('php/config.php', '''
<?php
$db_host = 'localhost';
$db_user = 'shop';
$db_password = '@@pw@@';
$config = [
    'smtp_pass' => '@@pw@@',
    'mode' => 'live',
];
''')
f('ruby/config/secrets.yml', '''
development:
  secret_key_base: @@hex128@@

production:
  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>
''')
f('ruby/config/database.yml', '''
production:
  adapter: postgresql
  database: app_production
  username: app
  password: @@pw@@
  host: db.internal
''')
f('ruby/config/master.key', '@@hex32@@\n')
f('ruby/config/initializers/mailer.rb', '''
Rails.application.configure do
  config.action_mailer.smtp_settings = {
    address: "smtp.example.net",
    user_name: "mailer",
    password: "@@pw@@",
  }
end
''')
f('notebooks/analysis.ipynb', '''
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "import pandas as pd\\n",
    "api_key = \\"@@tok32@@\\"\\n",
    "df = pd.read_csv('data.csv')\\n"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
''')
f('terraform/main.tf', '''
resource "aws_db_instance" "main" {
  engine         = "postgres"
  username       = "app"
  password       = "@@pw@@"
  instance_class = "db.t3.micro"
}

resource "random_password" "other" {
  length = 24
}
''')
# ---------------------------------------------------------------- env and config files
f('.env', '''
APP_ENV=production
DB_HOST=db.internal
DB_PASS=@@pw@@
STRIPE_WEBHOOK_SECRET=@@tok32@@
SESSION_SECRET=@@hex64@@
LOG_LEVEL=info
''')
f('services/api/.env.production', '''
NODE_ENV=production
API_TOKEN=@@tok32@@
REDIS_PASSWORD="@@pw@@"
''')
f('docker/docker-compose.yml', '''
services:
  db:
    image: postgres:16
    environment:
      - POSTGRES_USER=app
      - POSTGRES_PASSWORD=@@pw@@
  cache:
    image: redis:7
    command: ["redis-server", "--requirepass", "${REDIS_PASSWORD}"]
  mysql:
    image: mysql:8
    environment:
      MYSQL_ROOT_PASSWORD: @@pw@@
''')
f('docker/Dockerfile', '''
FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
ENV API_TOKEN=@@tok24@@
COPY . /app
CMD ["python", "-m", "app"]
''')
f('docker/config.json', '''
{
  "auths": {
    "registry.example.net": {
      "auth": "@@userpass@@"
    }
  },
  "credsStore": "desktop"
}
''')
f('.dockercfg', '''
{"registry.example.net": {"auth": "@@userpass@@", "email": "ci@example.net"}}
''')
f('k8s/secret.yaml', '''
apiVersion: v1
kind: Secret
metadata:
  name: app
type: Opaque
stringData:
  DB_PASSWORD: @@pw@@
data:
  api-key: @@b64pw@@
''')
f('ci/.github/workflows/deploy.yml', '''
name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      DEPLOY_TOKEN: @@tok32@@
      REGISTRY_PASSWORD: ${{ secrets.REGISTRY_PASSWORD }}
    steps:
      - uses: actions/checkout@v4
      - run: ./deploy.sh
''')
f('ci/.gitlab-ci.yml', '''
variables:
  DB_PASSWORD: "@@pw@@"
  DOCKER_DRIVER: overlay2

test:
  script:
    - make test
''')
f('ci/Jenkinsfile', '''
pipeline {
  agent any
  environment {
    NEXUS_PASSWORD = '@@pw@@'
  }
  stages {
    stage('build') { steps { sh 'mvn -B package' } }
  }
}
''')
f('shell/deploy.sh', '''
#!/bin/sh
set -eu
export AWS_ACCESS_KEY_ID=@@akia@@
export AWS_SECRET_ACCESS_KEY=@@b64_40@@
export DEPLOY_ENV=production
curl -fsS -H "Authorization: Basic @@userpass@@" https://ci.example.net/hook
''')
f('shell/backup.sh', '''
#!/bin/bash
PGPASSWORD=@@pw@@ pg_dump -h db.internal -U backup app > /backups/app.sql
''')
f('ansible/group_vars/all.yml', '''
app_user: deploy
db_password: @@pw@@
vault_password_file: ~/.vault_pass
''')
f('ini/my.cnf', '''
[client]
user=backup
password=@@pw@@
host=db.internal
''')
f('ini/app.ini', '''
[server]
port = 8080

[security]
secret_key = @@tok32@@
''')
f('maven/settings.xml', '''
<settings>
  <servers>
    <server>
      <id>releases</id>
      <username>deployer</username>
      <password>@@pw@@</password>
    </server>
  </servers>
</settings>
''')
f('nuget/NuGet.config', '''
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSourceCredentials>
    <internal>
      <add key="Username" value="ci" />
      <add key="ClearTextPassword" value="@@pw@@" />
    </internal>
  </packageSourceCredentials>
</configuration>
''')
f('spring/application.yml', '''
spring:
  datasource:
    url: jdbc:postgresql://db.internal/app
    username: app
    password: @@pw@@
  security:
    oauth2:
      client:
        registration:
          corp:
            client-secret: @@tok32@@
''')
# ---------------------------------------------------------------- credential files
f('home/.netrc', '''
machine api.example.net
  login deploy
  password @@pw@@
machine ftp.example.org login backup password @@pw@@
''')
f('home/.pgpass', '''
# hostname:port:database:username:password
db.internal:5432:app:app_rw:@@pw@@
*:*:*:replicator:@@pw@@
''')
f('home/.git-credentials', '''
https://deploy:@@pw@@@git.example.net
''')
f('web/.htpasswd', '''
admin:@@apr1@@
ops:@@bcrypt@@
''')
f('etc/shadow', '''
root:@@sha512@@:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
deploy:@@sha512@@:19700:0:99999:7:::
''')
f('home/.npmrc', '''
registry=https://registry.npmjs.org/
//npm.example.net/:_authToken=@@uuid@@
always-auth=true
''')
f('home/.yarnrc.yml', '''
npmRegistryServer: "https://npm.example.net"
npmAuthToken: "@@tok32@@"
''')
f('home/.aws/credentials', '''
[default]
aws_access_key_id = @@akia@@
aws_secret_access_key = @@b64_40@@

[staging]
aws_access_key_id = @@akia@@
aws_secret_access_key = @@b64_40@@
''')
f('home/.s3cfg', '''
[default]
access_key = @@akia@@
secret_key = @@b64_40@@
host_base = s3.amazonaws.com
use_https = True
''')
f('filezilla/sitemanager.xml', '''
<?xml version="1.0" encoding="UTF-8"?>
<FileZilla3 version="3.66.0">
  <Servers>
    <Server>
      <Host>ftp.example.net</Host>
      <Port>21</Port>
      <User>webmaster</User>
      <Pass encoding="base64">@@b64pw@@</Pass>
    </Server>
  </Servers>
</FileZilla3>
''')
f('sublime/sftp-config.json', '''
{
    "type": "sftp",
    "host": "web1.example.net",
    "user": "deploy",
    "password": "@@pw@@",
    "remote_path": "/var/www/site/",
}
''')
f('.vscode/sftp.json', '''
{
  "name": "staging",
  "host": "staging.example.net",
  "protocol": "sftp",
  "username": "www",
  "password": "@@pw@@",
  "remotePath": "/srv/www"
}
''')
f('.idea/webServers.xml', '''
<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="WebServers">
    <option name="servers">
      <webServer id="1" name="prod">
        <fileTransfer host="ftp.example.net" port="21" username="deploy" password="@@hexpw@@" />
      </webServer>
    </option>
  </component>
</project>
''')
f('dbeaver/data-sources.json', '''
{
  "connections": {
    "postgres-prod": {
      "provider": "postgresql",
      "configuration": {
        "host": "db.internal",
        "user": "analyst",
        "password": "@@pw@@",
        "auth-model": "native"
      }
    }
  }
}
''')
f('heidisql/portable_settings.txt', '''
Servers\\prod-db\\Host<|||>1<|||>db.internal
Servers\\prod-db\\User<|||>1<|||>root
Servers\\prod-db\\Password<|||>1<|||>@@hexpw@@
''')
f('sql/dump.sql', '''
-- MySQL dump 10.13
CREATE TABLE `users` (`id` int, `email` varchar(255), `password` varchar(255));
INSERT INTO `users` VALUES (1,'admin@example.net','@@bcrypt@@');
INSERT INTO `users` VALUES (2,'ops@example.net','@@bcrypt@@');
CREATE USER 'report'@'%' IDENTIFIED BY '@@pw@@';
GRANT SELECT ON shop.* TO 'legacy'@'%' IDENTIFIED BY PASSWORD '@@mysqlhash@@';
''')
f('sql/init.sql', '''
CREATE DATABASE app;
CREATE ROLE app_rw WITH LOGIN PASSWORD '@@pw@@';
ALTER USER reporting WITH PASSWORD '@@pw@@';
''')
f('sql/wp_users.sql', '''
INSERT INTO `wp_users` VALUES (1,'admin','@@phpass@@','admin','admin@example.net');
''')
f('django/fixtures/users.json', '''
[
  {
    "model": "auth.user",
    "pk": 1,
    "fields": {
      "password": "@@pbkdf2@@",
      "username": "admin"
    }
  }
]
''')
f('http/api.http', '''
GET https://api.example.net/v1/orders
Authorization: Bearer @@tok32@@
Accept: application/json
''')
# ---------------------------------------------------------------- clean look-alikes
f('clean/settings_env.py', '''
import os
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DATABASES = {"default": {"PASSWORD": os.getenv("DB_PASSWORD"), "USER": "app"}}
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
password = None
api_key = settings.API_KEY
''')
f('clean/.env.example', '''
DB_HOST=localhost
DB_PASS=changeme
API_TOKEN=<your-api-token>
SESSION_SECRET=
STRIPE_WEBHOOK_SECRET=whsec_xxxxxxxxxxxxxxxx
''')
f('clean/config.example.yml', '''
database:
  username: app
  password: ${DB_PASSWORD}
  api_key: YOUR_API_KEY_HERE
  token: "{{ vault_api_token }}"
smtp:
  password: "%(smtp_password)s"
''')
f('clean/test_auth.py', '''
def test_login(client):
    password = "hunter2"
    resp = client.post("/login", data={"username": "alice", "password": "password123"})
    assert resp.status_code == 200

def test_wrong_password(client):
    resp = client.post("/login", data={"username": "alice", "password": "wrong-password"})
    api_key = "test-api-key-123456"
    assert resp.status_code == 401
''')
f('clean/checksums.py', '''
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
checksum = "5d41402abc4b2a76b9719d911017c592"
digest = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
commit_sha = "e83c5163316f89bfbde7d9ab23ca2e25604af290"
''')
f('clean/ids.json', '''
{
  "id": "3f0a6a2e-9b1c-4d2e-8f3a-5c6d7e8f9a0b",
  "token_type": "bearer",
  "expires_in": 3600,
  "scope": "read write",
  "password_reset_url": "https://example.net/reset"
}
''')
f('clean/vectors.rs', '''
#[cfg(test)]
mod tests {
    const INPUT: &str = "SGVsbG8sIFdvcmxkIQ==";
    const EXPECTED_HEX: &str = "48656c6c6f2c20576f726c6421";

    #[test]
    fn decodes() {
        let password = config.password.clone();
        let token = Token::new(&password);
        assert_eq!(decode(INPUT), EXPECTED_HEX);
    }
}

pub struct Login<'a> {
    pub user: &'a str,
    pub password: &'a str,
}
''')
f('clean/auth.go', '''
package auth

import "os"

type Config struct {
	User     string
	Password string `json:"password"`
}

func load() Config {
	password := os.Getenv("DB_PASSWORD")
	return Config{User: "svc", Password: password}
}
''')
f('clean/client.ts', '''
export interface Credentials {
  username: string;
  password: string;
}

export function login(creds: Credentials) {
  const password = creds.password;
  const token = localStorage.getItem("token");
  return fetch("/api/login", { method: "POST", body: JSON.stringify({ password, token }) });
}
''')
f('clean/i18n/en.json', '''
{
  "password": "Password",
  "forgot_password": "Forgot your password?",
  "password_hint": "At least 12 characters",
  "api_key_label": "API key"
}
''')
f('clean/README.md', '''
# Setup

Copy `.env.example` to `.env` and set `API_TOKEN=<your token>`.

```sh
export GITHUB_TOKEN=$(cat ~/.config/token)
curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user
```

The `password` field is required. Use `password = os.environ["DB_PASSWORD"]` in settings.
''')
f('clean/docker-compose.yml', '''
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
      POSTGRES_USER: app
    secrets:
      - db_password
secrets:
  db_password:
    file: ./secrets/db_password.txt
''')
f('clean/k8s-deployment.yaml', '''
env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: app
        key: db-password
''')
f('clean/.npmrc', '''
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=${NPM_TOKEN}
''')
f('clean/.travis.yml', '''
language: ruby
env:
  global:
    - secure: "Lp2x9QmZ7eTf4vW8kR3nB6yH1sJ5gD0cA7uI2oE4tY9mN3qK6wX8zV1bC5hF0jL2pS4dG7rT9yU3iO6aE8wQ1zX5cV"
''')
f('clean/vault.yml', '''
db_password: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  62313365396662343061393464336163383764373764613633653634306231386433626436623361
api_token: "{{ vault_api_token }}"
''')
f('clean/secrets.enc.yaml', '''
password: ENC[AES256_GCM,data:Tr8sYw==,iv:9bq2VnXc7p=,tag:Qw1e2r3t4y5u6i7o8p9a0s==,type:str]
sops:
  version: 3.8.1
''')
f('clean/login.html', '''
<form method="post">
  <input type="password" name="password" placeholder="Password" autocomplete="current-password">
  <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
</form>
''')
f('clean/Form.java', '''
public class LoginForm {
    private String password;
    public boolean valid() { return password != null && !password.equals(""); }
    public void setPassword(String password) { this.password = password; }
}
''')
f('clean/policy.yml', '''
password_min_length: 12
password_require_symbols: true
token_ttl_seconds: 3600
secret_rotation_days: 90
''')
f('clean/migrate.sql', '''
CREATE USER app IDENTIFIED BY :'app_password';
ALTER USER legacy PASSWORD NULL;
-- the password column holds bcrypt hashes ($2y$...)
''')
f('clean/wp-config-sample.php', '''
<?php
define( 'DB_PASSWORD', 'password_here' );
define( 'AUTH_KEY',         'put your unique phrase here' );
define( 'DB_PASSWORD_FROM_ENV', getenv('DB_PASSWORD') );
''')
f('clean/connection.cs', '''
var cs = $"Server={host};Database=shop;User Id={user};Password={password};";
var cs2 = "Server=db;Database=shop;Integrated Security=true;";
''')
f('clean/netrc-doc.md', '''
Write `machine <host> login <user> password <token>` to `~/.netrc`.
machine example.com login user password $NETRC_TOKEN
''')

# ---------------------------------------------------------------- hard cases, honestly kept
# Credentials with no secret-sounding name next to them, or in syntax the rules do not model.
f('hard/db.go', '''
package store

import "database/sql"

func Open() (*sql.DB, error) {
	return sql.Open("mysql", "root:@@pw@@@tcp(db.internal:3306)/shop")
}
''')
f('hard/mysql.sh', '''
#!/bin/sh
mysql -u root -p'@@pw@@' shop < schema.sql
''')
f('hard/smtp.py', '''
import smtplib
server = smtplib.SMTP_SSL("smtp.example.net", 465)
server.login("reports@example.net", "@@pw@@")
''')
f('hard/db.pl', '''
my $dbuser = 'shop';
my $dbpass = '@@pw@@';
my $dbh = DBI->connect("DBI:mysql:shop", $dbuser, $dbpass);
''')
f('hard/app.toml', '''
[database]
host = "db.internal"
password = "@@pw@@"
''')
f('hard/.env.local', '''
SMTP_PASSWORD='@@pw@@'
''')

truth = []
rel_files = []
for path, text in sorted(FILES.items()):
    lines = text.split('\n')
    for i, line in enumerate(lines):
        if '@@' in line:
            while '@@' in line:
                a = line.index('@@'); b = line.index('@@', a + 2)
                kind = line[a + 2:b]
                line = line[:a] + KINDS[kind]() + line[b + 2:]
            lines[i] = line
            truth.append((path, i + 1))
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w') as fh:
        fh.write('\n'.join(lines))
    rel_files.append(path)
with open(os.path.join(out, 'truth.tsv'), 'w') as fh:
    fh.write('# path<TAB>line of every planted secret in fixtures/accuracy (all invented).\n')
    for p, l in truth:
        fh.write('%s\t%d\n' % (p, l))
print(len(FILES), 'files,', len(truth), 'secret lines,', sum(1 for p in FILES if p.startswith('clean/')), 'clean files')
