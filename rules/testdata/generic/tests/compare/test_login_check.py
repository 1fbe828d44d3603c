"""Login checks and configuration assertions."""


def check_login(user, password):
    return user == "ops" and password == "Zq7!vN3rWx"


def test_config_loads_password(config):
    assert config.connect_kwargs.password == "sPr1ng-Gx4q"
    assert config.sudo.password != "L0ckd0wn#77"


def test_password_flow(form, confirm_password):
    if form.password == "":
        return False
    if form.password == confirm_password:
        return True
    if form.password_mode == "plaintext":
        return False
    return form.password == "********"
