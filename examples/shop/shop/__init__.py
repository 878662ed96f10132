"""A tiny web shop: orders, payments, stock and e-mails. The code under test in the mockls demo."""
