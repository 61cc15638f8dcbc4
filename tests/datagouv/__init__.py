"""Tests of ckanext.loiretcher.datagouv."""
