"""`--oauth`: this server is the MCP client's authorization server, and GitCode the identity its users sign in with.

The MCP client registers here, signs its user in here (a consent page, then GitCode's own sign-in) and gets tokens
issued here, bound to this server; GitCode's tokens stay sealed inside them and never reach the client. Every token
is self-contained (encrypted and signed with the deployment's key), so any replica with the key accepts any other's.

config: the URLs and checks; scopes: GitCode's scopes per toolset and a call's signed-in token; seal: the sealing;
gitcode: GitCode's OAuth endpoints; provider: the SDK's authorization-server provider; pages: the consent page and
GitCode's callback; app: the routes and the guard in front of the MCP endpoint.
"""
