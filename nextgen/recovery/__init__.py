"""The password-reset engine both sides use: PACER recovery (nextgen.signon) and a
court's CM/ECF recovery (nextgen.ecf) are two parameterisations of one PasswordReset
(flows) and its pages (views)."""
