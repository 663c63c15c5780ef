#!/usr/bin/env python3
"""A complete annuaire client in plain Python (standard library only).

    python3 examples/python_client.py [host] [port]

It walks through every action of the protocol against a running server
(`pnpm serve`) and exits non-zero at the first surprise.
"""
import json
import socket
import sys
import uuid


class AnnuaireError(Exception):
    def __init__(self, error):
        super().__init__(f"{error['code']}: {error['message']}")
        self.code = error["code"]
        self.error = error


class Client:
    def __init__(self, host="127.0.0.1", port=7878):
        self.sock = socket.create_connection((host, port))
        self.file = self.sock.makefile("rw", encoding="utf-8", newline="\n")
        self.next_id = 1
        self.hello = json.loads(self.file.readline())
        assert self.hello["event"] == "hello", self.hello

    def request(self, action, **params):
        request_id = self.next_id
        self.next_id += 1
        self.file.write(json.dumps({"id": request_id, "action": action, **params}) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "event" in reply:  # a server event, not our reply
                continue
            assert reply["id"] == request_id, reply
            if not reply["ok"]:
                raise AnnuaireError(reply["error"])
            return reply["result"]

    def expect_error(self, code, action, **params):
        try:
            self.request(action, **params)
        except AnnuaireError as err:
            assert err.code == code, f"{action}: expected {code}, got {err.code}"
            return err.error
        raise AssertionError(f"{action}: expected {code}, but it succeeded")


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 7878
    c = Client(host, port)
    print("hello:", c.hello)
    user, password = f"py-{uuid.uuid4().hex[:8]}", "motdepasse-python"

    print(c.request("ping"))
    print(c.request("create_account", username=user, password=password)["message"])
    print(c.expect_error("username_taken", "create_account", username=user.upper(), password=password)["message"])
    print(c.expect_error("invalid_credentials", "login", username=user, password="mauvais")["message"])
    c.expect_error("not_authenticated", "whoami")
    login = c.request("login", username=user, password=password)
    print(login["message"])

    added = c.request("add_contact", nom="Dupré", prenom="Hélène",
                      email="helene@example.fr", telephone="06 12 34 56 78")["contact"]
    c.request("add_contact", nom="Martin", prenom="Paul", entreprise="ACME")
    found = c.request("recherche_contact", nom="dupre", prenom="helene")["contacts"]
    assert [x["email"] for x in found] == ["helene@example.fr"], found
    print("recherche_contact:", found[0]["nom"], found[0]["prenom"], found[0]["email"], found[0]["telephone"])
    print(c.expect_error("contact_not_found", "recherche_contact", nom="Zola", prenom="Émile")["message"])

    hits = c.request("search_contacts", query="hel")
    assert hits["total"] == 1 and hits["contacts"][0]["id"] == added["id"], hits
    assert c.request("search_contacts", query="zzzz")["contacts"] == []

    got = c.request("get_contact", contact_id=added["id"])["contact"]
    updated = c.request("update_contact", contact_id=got["id"], version=got["version"], notes="amie")["contact"]
    assert updated["version"] == got["version"] + 1
    conflict = c.expect_error("version_conflict", "update_contact", contact_id=got["id"], version=got["version"], notes="x")
    assert conflict["current"]["notes"] == "amie"

    page = c.request("list_contacts", limit=1)
    assert page["total"] == 2 and page["next_cursor"], page
    rest = c.request("list_contacts", limit=1, cursor=page["next_cursor"])
    assert [x["nom"] for x in page["contacts"] + rest["contacts"]] == ["Dupré", "Martin"]

    bad = c.expect_error("invalid_params", "add_contact", nom="", email="pas-un-email")
    print("invalid_params:", bad["field"], "-", bad["message"])
    c.expect_error("unknown_action", "drop_database")

    c.request("delete_contact", contact_id=added["id"])
    c.expect_error("contact_not_found", "get_contact", contact_id=added["id"])

    print(c.request("set_language", lang="en"))
    print(c.request("whoami"))
    print(c.request("change_password", old_password=password, new_password=password + "-2")["message"])
    other = Client(host, port)
    print(other.request("resume_session", session_token=login["session_token"])["message"])
    print(c.request("logout")["message"])
    c.request("login", username=user, password=password + "-2")
    print(c.request("delete_account", password=password + "-2"))
    c.expect_error("invalid_credentials", "login", username=user, password=password + "-2")
    print("OK: every action answered as documented")


if __name__ == "__main__":
    main()
