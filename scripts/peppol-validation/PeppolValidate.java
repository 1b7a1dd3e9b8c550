import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import net.sf.saxon.s9api.DocumentBuilder;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.XPathCompiler;
import net.sf.saxon.s9api.XdmDestination;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XsltExecutable;
import org.w3c.dom.bootstrap.DOMImplementationRegistry;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSInput;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Validates UBL invoices and credit notes with the official PEPPOL BIS Billing 3.0 artifacts: the
 * UBL 2.1 XSD (element order and types, which no schematron checks) and the two schematrons
 * compiled to XSLT by OpenPeppol (CEN EN 16931 rules and the PEPPOL rules incl. the Norwegian ones),
 * run with Saxon-HE. Both come from Maven Central jars on the class path (see peppol-validation.ts).
 *
 * Usage: java -cp "lib/*" PeppolValidate.java <rules-release> <file.xml>...
 * Prints one JSON object per file: {"file": ..., "failures": [{"id", "flag", "location", "text"}]}.
 */
public class PeppolValidate {
  public static void main(String[] args) throws Exception {
    String release = args[0];
    Processor saxon = new Processor(false);
    XsltExecutable cen = saxon.newXsltCompiler().compile(resource("external/schematron/openpeppol/" + release + "/xslt/CEN-EN16931-UBL.xslt"));
    XsltExecutable peppol = saxon.newXsltCompiler().compile(resource("external/schematron/openpeppol/" + release + "/xslt/PEPPOL-EN16931-UBL.xslt"));
    SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    schemas.setResourceResolver(PeppolValidate::resolveImportByNamespace);
    Schema invoice = schemas.newSchema(url("external/schemas/ubl21/maindoc/UBL-Invoice-2.1.xsd"));
    Schema creditNote = schemas.newSchema(url("external/schemas/ubl21/maindoc/UBL-CreditNote-2.1.xsd"));
    DocumentBuilder documents = saxon.newDocumentBuilder();
    XPathCompiler xpath = saxon.newXPathCompiler();
    xpath.declareNamespace("svrl", "http://purl.oclc.org/dsdl/svrl");

    for (int i = 1; i < args.length; i++) {
      File file = new File(args[i]);
      List<String> failures = new ArrayList<>();
      XdmNode document = documents.build(file);
      String root = xpath.evaluateSingle("local-name(/*)", document).getStringValue();
      failures.addAll(xsdFailures("CreditNote".equals(root) ? creditNote : invoice, file));
      for (XsltExecutable rules : new XsltExecutable[] {cen, peppol}) {
        XdmDestination report = new XdmDestination();
        rules.load30().transform(new StreamSource(file), report);
        for (XdmItem failed : xpath.evaluate("//svrl:failed-assert", report.getXdmNode())) {
          failures.add(failure(
              xpath.evaluateSingle("string(@id)", failed).getStringValue(),
              xpath.evaluateSingle("string(@flag)", failed).getStringValue(),
              xpath.evaluateSingle("string(@location)", failed).getStringValue(),
              xpath.evaluateSingle("normalize-space(svrl:text)", failed).getStringValue()));
        }
      }
      System.out.println("{\"file\":" + json(file.getPath()) + ",\"failures\":[" + String.join(",", failures) + "]}");
    }
  }

  static List<String> xsdFailures(Schema schema, File file) throws Exception {
    List<String> failures = new ArrayList<>();
    Validator validator = schema.newValidator();
    validator.setErrorHandler(new ErrorHandler() {
      public void warning(SAXParseException e) {}
      public void error(SAXParseException e) { failures.add(failure("UBL-XSD", "fatal", "line " + e.getLineNumber(), e.getMessage())); }
      public void fatalError(SAXParseException e) { error(e); }
    });
    validator.validate(new StreamSource(file));
    return failures;
  }

  /** ph-ubl21 imports these schemas by namespace only; they live in the ph-xsds-* jars. */
  static final Map<String, String> SCHEMAS_BY_NAMESPACE = Map.of(
      "urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2", "schemas/CCTS_CCT_SchemaModule.xsd",
      "http://www.w3.org/2000/09/xmldsig#", "schemas/xmldsig-core-schema.xsd",
      "http://uri.etsi.org/01903/v1.3.2#", "schemas/XAdES01903v132-201601.xsd",
      "http://uri.etsi.org/01903/v1.4.1#", "schemas/XAdES01903v141-201601.xsd");

  static LSInput resolveImportByNamespace(String type, String namespace, String publicId, String systemId, String baseUri) {
    String path = systemId == null ? SCHEMAS_BY_NAMESPACE.get(namespace) : null;
    if (path == null) return null;
    try {
      DOMImplementationLS ls = (DOMImplementationLS) DOMImplementationRegistry.newInstance().getDOMImplementation("LS");
      LSInput input = ls.createLSInput();
      input.setSystemId(url(path).toExternalForm());
      input.setByteStream(url(path).openStream());
      return input;
    } catch (Exception e) {
      throw new IllegalStateException("cannot load " + path, e);
    }
  }

  static String failure(String id, String flag, String location, String text) {
    return "{\"id\":" + json(id) + ",\"flag\":" + json(flag) + ",\"location\":" + json(location) + ",\"text\":" + json(text) + "}";
  }

  static StreamSource resource(String path) throws Exception {
    return new StreamSource(url(path).openStream(), url(path).toExternalForm());
  }

  static URL url(String path) {
    URL url = PeppolValidate.class.getClassLoader().getResource(path);
    if (url == null) throw new IllegalStateException("not on the class path: " + path);
    return url;
  }

  static String json(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
