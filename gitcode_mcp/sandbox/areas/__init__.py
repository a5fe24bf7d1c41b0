"""One module per API area, mirroring gitcode_mcp/tools/: the routes of that area and the shapes they answer in."""
