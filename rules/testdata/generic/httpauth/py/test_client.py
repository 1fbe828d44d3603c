import unittest
        self.assertEqual(req.get_header('Authorization'), 'Basic dXNlcjpwYXNz')
        self.assertEqual(req.get_header('Authorization'), 'Basic p4ssw0rd')
